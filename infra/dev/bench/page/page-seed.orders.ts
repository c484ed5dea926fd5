// bench:page's orders-loyalty rows: the phone directory (as contacts' phones-changed
// events leave it), the orders with their status history, each customer's summary
// version, reviews of completed orders and vouchers. Loyalty is page-seed.loyalty.ts.
//
// Orders are generated in Postgres (INSERT … SELECT over generate_series, chunked), every
// choice taken from a hash of (workspace, order number), not random(): the same sizes give
// the same shape (times move with the clock). Each `full` customer (the first pages of
// the list) gets 5 … 15 orders, its first one completed an hour after it was created;
// the rest are drawn from the workspace's buyers with a skew (a uniform draw to the
// power 1.5: a few regulars with hundreds, most with a handful). An order is placed between its customer's creation and now; its
// status follows from its age (completed after a week, some cancelled or returned).
import type { Client } from 'pg';
import { seedProjectedBasics } from './page-seed.followers';
import { hash60, sqlArray } from './page-seed.profile';
import type { WorkspacePlan } from './page-seed.profile';

/** Orders per INSERT statement. */
const CHUNK = 100_000;
/** The orders a customer's figures count (orders/order.summary.ts). */
const COUNTED = `status NOT IN ('CANCELLED', 'RETURNED')`;

const PRODUCTS: [string, string, number][] = [
  ['AT-01', 'Áo thun cotton basic', 129000],
  ['AS-02', 'Áo sơ mi công sở', 259000],
  ['QJ-03', 'Quần jean slim', 399000],
  ['VD-04', 'Váy đầm hoa nhí', 349000],
  ['GT-05', 'Giày thể thao', 689000],
  ['TX-06', 'Túi xách da', 899000],
  ['NL-07', 'Nón lưỡi trai', 99000],
  ['KM-08', 'Khẩu trang vải (5 cái)', 59000],
  ['AK-09', 'Áo khoác gió', 459000],
  ['DN-10', 'Đầm ngủ lụa', 279000],
  ['BL-11', 'Balo laptop', 549000],
  ['VT-12', 'Ví nam da bò', 329000],
];
const SOURCES = [
  'SHOPEE',
  'SHOPEE',
  'SHOPEE',
  'LAZADA',
  'TIKTOK_SHOP',
  'TIKTOK_SHOP',
  'WEBSITE',
  'FACEBOOK',
  'ZALO',
  'POS',
];
const CARRIERS = ['GHN', 'GHTK', 'SPX', 'J&T'];

/** Each final status: the statuses it went through and when, after the order. */
const PATHS = `(VALUES
  ('PENDING', 'PENDING', interval '0'),
  ('CONFIRMED', 'PENDING', interval '0'), ('CONFIRMED', 'CONFIRMED', interval '1 hour'),
  ('SHIPPING', 'PENDING', interval '0'), ('SHIPPING', 'CONFIRMED', interval '1 hour'),
  ('SHIPPING', 'SHIPPING', interval '1 day'),
  ('DELIVERED', 'PENDING', interval '0'), ('DELIVERED', 'SHIPPING', interval '1 day'),
  ('DELIVERED', 'DELIVERED', interval '3 days'),
  ('COMPLETED', 'PENDING', interval '0'), ('COMPLETED', 'SHIPPING', interval '1 day'),
  ('COMPLETED', 'COMPLETED', interval '7 days'),
  ('RETURNED', 'PENDING', interval '0'), ('RETURNED', 'SHIPPING', interval '1 day'),
  ('RETURNED', 'DELIVERED', interval '3 days'), ('RETURNED', 'RETURNED', interval '10 days'),
  ('CANCELLED', 'PENDING', interval '0'), ('CANCELLED', 'CANCELLED', interval '1 hour')
) AS p(final, status, after)`;
const FINAL_AFTER = `CASE status WHEN 'PENDING' THEN interval '0' WHEN 'CONFIRMED' THEN interval '1 hour'
  WHEN 'SHIPPING' THEN interval '1 day' WHEN 'DELIVERED' THEN interval '3 days'
  WHEN 'COMPLETED' THEN interval '7 days' WHEN 'RETURNED' THEN interval '10 days'
  ELSE interval '1 hour' END`;

const at = (list: string, i: string) => `(${list})[${i}]`;
const skus = sqlArray(PRODUCTS.map((p) => [p[0]]));
const names = sqlArray(PRODUCTS.map((p) => [p[1]]));
const prices = `ARRAY[${PRODUCTS.map((p) => p[2]).join(', ')}]::bigint[]`;
const item = (x: number) =>
  `jsonb_build_object('sku', ${at(skus, `p${x}`)}, 'productName', ${at(names, `p${x}`)},
     'quantity', q${x}, 'unitPrice', ${at(prices, `p${x}`)}, 'discount', 0)`;
const line = (x: number) => `q${x} * ${at(prices, `p${x}`)}`;

/**
 * Inserts the orders `source` names — rows (ws, q: the order's number in its workspace,
 * r: its customer, forced: the customer's first, completed order) — with their history.
 */
function insertOrders(source: string): string {
  const bits = (shift: number, mod: number) => `((v >> ${shift}) % ${mod})::int`;
  return `
    WITH src AS MATERIALIZED (${source}),
    o AS MATERIALIZED (
      SELECT s.ws, s.q, s.forced, c.id AS customer_id, c.name, c.phone1, c.e164_1, c.email,
             c.address || ', ' || c.city AS address, c.base, v,
             CASE WHEN s.forced THEN c.created_at + interval '1 hour'
                  ELSE c.created_at + ${bits(37, 10000)} / 10000.0 * (c.base - interval '5 minutes' - c.created_at)
             END AS ordered_at,
             ${bits(27, 1000)} / 1000.0 AS roll,
             ${at(`ARRAY[${SOURCES.map((x) => `'${x}'`).join(', ')}]::text[]`, `1 + ${bits(0, SOURCES.length)}`)} AS source,
             1 + ${bits(4, 3)} AS n,
             1 + ${bits(6, PRODUCTS.length)} AS p1, 1 + ${bits(11, PRODUCTS.length)} AS p2,
             1 + ${bits(16, PRODUCTS.length)} AS p3,
             1 + ${bits(21, 2)} AS q1, 1 + ${bits(22, 3)} AS q2, 1 AS q3
        FROM src s JOIN seed_customer c ON c.ws = s.ws AND c.r = s.r
        CROSS JOIN LATERAL (SELECT ${hash60("s.ws || ':o:' || s.q")} AS v) h),
    st AS (
      SELECT o.*, CASE
        WHEN forced THEN 'COMPLETED'
        WHEN base - ordered_at >= interval '12 days' THEN
          CASE WHEN roll < 0.05 THEN 'CANCELLED' WHEN roll < 0.08 THEN 'RETURNED' ELSE 'COMPLETED' END
        WHEN base - ordered_at >= interval '7 days' THEN
          CASE WHEN roll < 0.05 THEN 'CANCELLED' WHEN roll < 0.4 THEN 'DELIVERED' ELSE 'COMPLETED' END
        WHEN base - ordered_at >= interval '3 days' THEN
          CASE WHEN roll < 0.1 THEN 'CANCELLED' WHEN roll < 0.6 THEN 'DELIVERED' ELSE 'SHIPPING' END
        WHEN base - ordered_at >= interval '1 day' THEN
          CASE WHEN roll < 0.1 THEN 'CANCELLED' WHEN roll < 0.7 THEN 'SHIPPING' ELSE 'CONFIRMED' END
        WHEN base - ordered_at >= interval '2 hours' THEN
          CASE WHEN roll < 0.1 THEN 'CANCELLED' WHEN roll < 0.5 THEN 'CONFIRMED' ELSE 'PENDING' END
        ELSE 'PENDING' END AS status,
        CASE n WHEN 1 THEN jsonb_build_array(${item(1)})
               WHEN 2 THEN jsonb_build_array(${item(1)}, ${item(2)})
               ELSE jsonb_build_array(${item(1)}, ${item(2)}, ${item(3)}) END AS items,
        ${line(1)} + CASE WHEN n >= 2 THEN ${line(2)} ELSE 0 END
                   + CASE WHEN n >= 3 THEN ${line(3)} ELSE 0 END AS subtotal,
        CASE WHEN source = 'POS' THEN 0 WHEN (v >> 47) % 3 = 0 THEN 15000 ELSE 30000 END AS shipping_fee,
        CASE WHEN (v >> 49) % 10 = 0 THEN 20000 ELSE 0 END AS discount_total
      FROM o),
    ins AS (
      INSERT INTO customer_order (workspace_id, customer_id, code, source, status, buyer_name,
        buyer_phone, buyer_phone_e164, buyer_email, shipping_address, shipping_carrier,
        tracking_code, items, subtotal, discount_total, shipping_fee, total, ordered_at,
        source_updated_at, created_at, updated_at)
      SELECT ws, customer_id,
             to_char(ordered_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || lpad(q::text, 8, '0'),
             source, status, name, phone1, e164_1, CASE WHEN source = 'WEBSITE' THEN email END,
             CASE WHEN source <> 'POS' THEN address END,
             CASE WHEN source <> 'POS' THEN ${at(sqlArray(CARRIERS.map((c) => [c])), `1 + ${bits(51, CARRIERS.length)}`)} END,
             CASE WHEN source <> 'POS' AND status NOT IN ('PENDING', 'CONFIRMED', 'CANCELLED')
                  THEN 'VN' || lpad(q::text, 10, '0') END,
             items, subtotal, discount_total, shipping_fee, subtotal - discount_total + shipping_fee,
             ordered_at, ordered_at + ${FINAL_AFTER},
             ordered_at + interval '2 minutes', ordered_at + ${FINAL_AFTER}
        FROM st
      RETURNING id, workspace_id, status, ordered_at)
    INSERT INTO customer_order_status (workspace_id, order_id, status, changed_at)
    SELECT i.workspace_id, i.id, p.status, i.ordered_at + p.after
      FROM ins i JOIN ${PATHS} ON p.final = i.status`;
}

/**
 * The orders of the plans' workspaces; `helper`, another session of the database with
 * the profile (page-seed.profile.ts), writes every other chunk.
 */
export async function seedOrders(
  db: Client,
  plans: readonly WorkspacePlan[],
  helper?: Client,
): Promise<void> {
  await seedProjectedBasics(db);
  await db.query(
    `INSERT INTO phone_directory (workspace_id, e164, customer_id, occurred_at)
     SELECT ws, e164_1, id, created_at FROM seed_customer WHERE e164_1 IS NOT NULL
     UNION ALL
     SELECT ws, e164_2, id, created_at FROM seed_customer WHERE e164_1 IS NOT NULL AND e164_2 IS NOT NULL`,
  );
  await db.query(
    `INSERT INTO phone_directory_customer (workspace_id, customer_id, occurred_at)
     SELECT ws, id, created_at FROM seed_customer WHERE e164_1 IS NOT NULL`,
  );
  // At most 15 orders per full customer, and together at most 60% of the workspace's.
  await db.query(
    `CREATE TEMP TABLE seed_orders_ws AS
     SELECT w.ws, w.orders, greatest(1, least(15, floor(0.6 * w.orders / greatest(s.full_n, 1))))::int AS gmax
       FROM unnest($1::text[], $2::int[]) AS w(ws, orders) JOIN seed_ws s USING (ws)`,
    [plans.map((p) => p.workspaceId), plans.map((p) => p.orders)],
  );
  await db.query(
    insertOrders(`
      SELECT c.ws, row_number() OVER (PARTITION BY c.ws ORDER BY c.r, s) AS q, c.r, s = 1 AS forced
        FROM seed_customer c JOIN seed_orders_ws w USING (ws)
       CROSS JOIN LATERAL generate_series(1, CASE WHEN c.is_full
               THEN least(w.gmax, 5 + (c.h2 >> 33) % greatest(1, w.gmax - 4)) ELSE 0 END) AS s`),
  );
  // The rest, numbered on after each workspace's guaranteed orders: global numbers
  // first … last of a workspace are its orders g + 1 … g + spread.
  await db.query(
    `ALTER TABLE seed_orders_ws ADD COLUMN g int, ADD COLUMN spread int, ADD COLUMN first bigint,
       ADD COLUMN buyers int`,
  );
  await db.query(
    `UPDATE seed_orders_ws w
        SET g = (SELECT count(*) FROM customer_order o WHERE o.workspace_id = w.ws),
            buyers = (SELECT count(*) FROM seed_customer c WHERE c.ws = w.ws AND c.buyer_j IS NOT NULL)`,
  );
  await db.query('UPDATE seed_orders_ws SET spread = greatest(0, orders - g)');
  const { rows } = await db.query<{ total: number }>(
    `WITH x AS (SELECT ws, 1 + sum(spread) OVER (ORDER BY ws) - spread AS first FROM seed_orders_ws)
     UPDATE seed_orders_ws w SET first = x.first FROM x WHERE x.ws = w.ws
     RETURNING (SELECT sum(spread)::int FROM seed_orders_ws) AS total`,
  );
  const total = rows[0]?.total ?? 0;
  // The chunks shared out between this session and the helper's (a core each).
  const sessions = [db, ...(helper ? [helper] : [])];
  if (helper) await copyWorkspaceOrders(db, helper);
  let done = 0;
  await Promise.all(
    sessions.map(async (session, k) => {
      for (let from = 1 + k * CHUNK; from <= total; from += sessions.length * CHUNK) {
        const to = Math.min(total, from + CHUNK - 1);
        await session.query(
          insertOrders(`
            SELECT w.ws, w.g + (x.i - w.first + 1) AS q, b.r, false AS forced
              FROM generate_series(${from}::bigint, ${to}::bigint) AS x(i)
              JOIN seed_orders_ws w ON x.i >= w.first AND x.i < w.first + w.spread
              CROSS JOIN LATERAL (SELECT ${hash60("w.ws || ':b:' || x.i")} % 1000000 / 1000000.0 AS u) d
              JOIN seed_customer b ON b.ws = w.ws
               AND b.buyer_j = 1 + floor(w.buyers * d.u * sqrt(d.u))::int`),
        );
        done += to - from + 1;
        console.log(`  orders ${done}/${total} (besides the first pages' own)`);
      }
    }),
  );
  // Statistics for what reads the orders next (loyalty, reviews, projections).
  await db.query('ANALYZE customer_order');
  // Each customer's version (one summary event per order) and kept figures, as the
  // statement triggers of customer_order would have left them (the load's replica
  // role skips those triggers).
  await db.query(
    `INSERT INTO customer_order_version (workspace_id, customer_id, version, order_count,
       completed_count, total_spent, first_order_at, last_order_at)
     SELECT workspace_id, customer_id, count(*),
            count(*) FILTER (WHERE ${COUNTED}), count(*) FILTER (WHERE status = 'COMPLETED'),
            COALESCE(sum(total) FILTER (WHERE ${COUNTED}), 0),
            min(ordered_at) FILTER (WHERE ${COUNTED}), max(ordered_at) FILTER (WHERE ${COUNTED})
       FROM customer_order
      WHERE workspace_id IN (SELECT ws FROM seed_ws) AND customer_id IS NOT NULL
      GROUP BY workspace_id, customer_id`,
  );
}

/** seed_orders_ws, as `from` has it, into `to`'s session. */
async function copyWorkspaceOrders(from: Client, to: Client): Promise<void> {
  const { rows } = await from.query('SELECT * FROM seed_orders_ws');
  const columns = ['ws', 'orders', 'gmax', 'g', 'spread', 'first', 'buyers'];
  const types = ['text', 'int', 'int', 'int', 'int', 'bigint', 'int'];
  await to.query('DROP TABLE IF EXISTS seed_orders_ws');
  await to.query(
    `CREATE TEMP TABLE seed_orders_ws AS
     SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
       AS w(${columns.join(', ')})`,
    columns.map((c) => rows.map((r) => r[c])),
  );
}
