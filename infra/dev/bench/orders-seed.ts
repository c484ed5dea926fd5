// bench:orders' data, written with SQL as years of imports would leave it: customers
// with a phone each (contacts), and orders spread unevenly over them — a few regulars
// with hundreds, most with a handful — with their status history and the phone
// directory (orders-loyalty). Returns the customers' ids.
import type { Client } from 'pg';

const CHUNK = 100_000;

export async function seedOrders(
  contacts: Client,
  orders: Client,
  ws: string,
  customers: number,
  count: number,
): Promise<string[]> {
  await contacts.query('INSERT INTO workspace (id) VALUES ($1)', [ws]);
  const { rows } = await contacts.query(
    `INSERT INTO customer (workspace_id, name, name_search, created_at, updated_at)
     SELECT $1, 'Khách ' || i, 'khach ' || i,
            timestamptz '2024-01-01' + i * interval '1 minute', now()
       FROM generate_series(1, $2::int) AS i
     RETURNING id, name`,
    [ws, customers],
  );
  // Customer k (1-based, by name) has the phone +8490xxxxxxx of its number.
  const ids: string[] = rows
    .sort((a, b) => Number(a.name.slice(6)) - Number(b.name.slice(6)))
    .map((r) => r.id as string);
  const phone = `'+8490' || lpad(k::text, 7, '0')`;
  await contacts.query(
    `INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
     SELECT $1, id, '090' || lpad(k::text, 7, '0'), ${phone}, 0
       FROM unnest($2::uuid[]) WITH ORDINALITY AS c(id, k)`,
    [ws, ids],
  );
  await contacts.query(
    `INSERT INTO phone_owner (workspace_id, e164, customer_id)
     SELECT $1, ${phone}, id FROM unnest($2::uuid[]) WITH ORDINALITY AS c(id, k)`,
    [ws, ids],
  );
  await contacts.query('ANALYZE customer; ANALYZE customer_phone; ANALYZE phone_owner');

  await orders.query('INSERT INTO workspace (id) VALUES ($1)', [ws]);
  await orders.query(
    `INSERT INTO phone_directory (workspace_id, e164, customer_id, occurred_at)
     SELECT $1, ${phone}, id, now() FROM unnest($2::uuid[]) WITH ORDINALITY AS c(id, k)`,
    [ws, ids],
  );
  await orders.query(
    `INSERT INTO phone_directory_customer (workspace_id, customer_id, occurred_at)
     SELECT $1, id, now() FROM unnest($2::uuid[]) AS c(id)`,
    [ws, ids],
  );
  for (let from = 1; from <= count; from += CHUNK) {
    const to = Math.min(count, from + CHUNK - 1);
    // k: the buyer, skewed towards the first customers (power 2 of a uniform draw).
    await orders.query(
      `WITH o AS (
         SELECT i, 1 + floor(power(random(), 2) * $3::int)::int AS k,
                (ARRAY['SHOPEE','LAZADA','TIKTOK_SHOP','WEBSITE','FACEBOOK','ZALO','POS'])[1 + i % 7] AS source,
                CASE WHEN i % 20 = 0 THEN 'CANCELLED' WHEN i % 50 = 1 THEN 'RETURNED'
                     WHEN i % 10 = 2 THEN 'SHIPPING' ELSE 'COMPLETED' END AS status,
                (1 + i % 9) * 60000 AS subtotal,
                timestamptz '2023-01-01' + (random() * 1050) * interval '1 day' AS at
           FROM generate_series($4::int, $5::int) AS i)
       INSERT INTO customer_order (workspace_id, customer_id, code, source, status, buyer_name,
              buyer_phone, buyer_phone_e164, items, subtotal, shipping_fee, total, ordered_at,
              source_updated_at)
       SELECT $1, ($2::uuid[])[k], 'B' || lpad(i::text, 8, '0'), source, status, 'Khách ' || k,
              '090' || lpad(k::text, 7, '0'), ${phone},
              jsonb_build_array(jsonb_build_object('sku', 'SKU-' || i % 500, 'productName', 'Sản phẩm ' || i % 500,
                'quantity', 1 + i % 3, 'unitPrice', subtotal / (1 + i % 3), 'discount', 0)),
              subtotal, 30000, subtotal + 30000, at, at
         FROM o`,
      [ws, ids, customers, from, to],
    );
    console.log(`  orders ${to}/${count}`);
  }
  await orders.query(
    `INSERT INTO customer_order_status (workspace_id, order_id, status, changed_at)
     SELECT workspace_id, id, status, ordered_at FROM customer_order WHERE workspace_id = $1`,
    [ws],
  );
  await orders.query(
    'ANALYZE customer_order; ANALYZE customer_order_status; ANALYZE phone_directory',
  );
  return ids;
}
