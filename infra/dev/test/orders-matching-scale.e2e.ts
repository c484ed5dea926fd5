// 2,000 orders from 300 phones, through the gateway and the real broker (issue 11):
// every phone written in many ways (old 11-digit prefixes too), 100 phones held by
// customers beforehand, 200 nobody has yet, some buyers who only ever cancelled, and
// orders without a phone. The end state: exactly one customer per phone, every order
// with a phone attached to that customer, CUSTOMER for every buyer with an order that
// is not cancelled (and only for them), and every figure — the Orders tab's summary
// and the projection the customer list filters on — equal to a recount in SQL.
import { randomBytes } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestStack } from './stack';
import { eventually } from './webhooks';
import type { TestStack } from './stack';

const ws = `scale-${randomBytes(3).toString('hex')}`;
const admin: Identity = { workspaceId: ws, userId: 'admin', role: 'admin' };
const PHONES = 300;
const KNOWN = 100;
const ORDERS = 2_000;
const BATCH = 100;

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.token(admin);
}, 60_000);
afterAll(() => stack?.stop());

async function gql(query: string, variables?: object) {
  const { body } = await stack.query(token, query, variables);
  if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
  return body.data!;
}

/** Phone p's national number: half 091…, half 038… (whose old form is 0168…). */
const national = (p: number) =>
  p < PHONES / 2 ? `912${String(300_000 + p).padStart(6, '0')}` : `38${String(4_000_000 + p)}`;
const e164 = (p: number) => `+84${national(p)}`;

/** The n-th way a seller or a marketplace writes phone p. */
function written(p: number, n: number): string {
  const d = national(p);
  const forms = [
    `0${d}`,
    `+84 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`,
    `84${d}`,
    `(+84) ${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`,
    `0${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6)}`,
  ];
  // The old 11-digit form of a 038 number: 0168 + its last 7 digits.
  if (d.startsWith('38')) forms.push(`0168 ${d.slice(2, 5)} ${d.slice(5)}`);
  return forms[n % forms.length];
}

/** Buyers p ≡ 0 (mod 10) only ever cancel; everyone else completes, ships or returns some. */
function statusOf(p: number, i: number): string {
  if (p % 10 === 0) return 'CANCELLED';
  // Phone p's orders are i ≡ 43p (mod 300): their round, not i, varies the status.
  const round = Math.floor(i / PHONES);
  return ['COMPLETED', 'COMPLETED', 'SHIPPING', 'CANCELLED', 'RETURNED', 'PENDING'][
    (round + p) % 6
  ];
}

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

it('makes one customer per phone, attaches every order, types buyers and counts right', async () => {
  for (let p = 0; p < KNOWN; p++) {
    await gql(`mutation($i: CustomerInput!) { createCustomer(input: $i) { id } }`, {
      i: { name: `Khách cũ ${p}`, phone: written(p, p + 1) },
    });
  }
  const orders = Array.from({ length: ORDERS }, (_, i) => {
    // The last 20 have no phone; the others go round the 300 phones, 6 or 7 each.
    const noPhone = i >= ORDERS - ORDERS / 100;
    const p = (i * 7) % PHONES;
    const unitPrice = 10_000 * (1 + (i % 13));
    const at = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString();
    return {
      source: ['SHOPEE', 'LAZADA', 'WEBSITE', 'POS'][i % 4],
      code: `SC-${i}`,
      status: statusOf(p, i),
      buyerName: `Người mua ${p}`,
      buyerPhone: noPhone ? null : written(p, i),
      items: [{ productName: 'Bánh', quantity: 1 + (i % 3), unitPrice }],
      subtotal: unitPrice * (1 + (i % 3)),
      shippingFee: 15_000,
      total: unitPrice * (1 + (i % 3)) + 15_000,
      orderedAt: at,
      updatedAt: at,
    };
  });
  const batches = shuffled(orders);
  // Batches of 100: a batch of 500 could outlast the gateway's 8 s subgraph deadline on a
  // loaded machine (REQUEST_TIMEOUT), and the matching under test is the same either way.
  for (let from = 0; from < ORDERS; from += BATCH) {
    const data = await gql(
      `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created rejected { reason } } }`,
      { o: batches.slice(from, from + BATCH) },
    );
    expect(data.upsertOrders).toEqual({ created: BATCH, rejected: [] });
  }

  const ordersDb = stack.db('orders-loyalty');
  const contactsDb = stack.db('contacts');
  // Every order with a phone attached, through contacts' answers for the 200 new buyers.
  await eventually(
    async () =>
      (
        await ordersDb.query(
          `SELECT count(*)::int AS n FROM customer_order
            WHERE workspace_id = $1 AND buyer_phone_e164 IS NOT NULL AND customer_id IS NULL`,
          [ws],
        )
      )[0].n as number,
    (n) => n === 0,
  );

  // Exactly one customer per phone, and no other customer.
  const holders: { e164: string; ids: string[] }[] = await contactsDb.query(
    `SELECT p.e164, array_agg(DISTINCT p.customer_id::text) AS ids FROM customer_phone p
      WHERE p.workspace_id = $1 GROUP BY p.e164`,
    [ws],
  );
  expect(holders).toHaveLength(PHONES);
  expect(holders.filter((h) => h.ids.length !== 1)).toEqual([]);
  const [{ customers }] = await contactsDb.query(
    'SELECT count(*)::int AS customers FROM customer WHERE workspace_id = $1',
    [ws],
  );
  expect(customers).toBe(PHONES);
  const ownerOf = new Map(holders.map((h) => [h.e164, h.ids[0]]));
  expect(ownerOf.get(e164(PHONES - 1))).toBeDefined(); // an old 0168… number, normalised

  // Every order is on its phone's customer; the 20 without a phone on none.
  const placed: { e164: string | null; customerId: string | null }[] = await ordersDb.query(
    `SELECT buyer_phone_e164 AS e164, customer_id AS "customerId" FROM customer_order
      WHERE workspace_id = $1`,
    [ws],
  );
  expect(placed).toHaveLength(ORDERS);
  expect(placed.filter((o) => (o.e164 ? ownerOf.get(o.e164) : null) !== o.customerId)).toEqual([]);
  expect(placed.filter((o) => o.e164 === null)).toHaveLength(ORDERS / 100);

  // The recount: per customer, over orders neither cancelled nor returned.
  const recount: {
    id: string;
    orderCount: number;
    totalSpent: string;
    lastOrderAt: Date | null;
    live: boolean;
  }[] = await ordersDb.query(
    `SELECT customer_id::text AS id,
            count(*) FILTER (WHERE status NOT IN ('CANCELLED', 'RETURNED'))::int AS "orderCount",
            coalesce(sum(total) FILTER (WHERE status NOT IN ('CANCELLED', 'RETURNED')), 0)::text
              AS "totalSpent",
            max(ordered_at) FILTER (WHERE status NOT IN ('CANCELLED', 'RETURNED')) AS "lastOrderAt",
            bool_or(status <> 'CANCELLED') AS live
       FROM customer_order WHERE workspace_id = $1 AND customer_id IS NOT NULL
      GROUP BY customer_id ORDER BY customer_id`,
    [ws],
  );
  expect(recount).toHaveLength(PHONES);
  const expected = recount.map((r) => ({
    id: r.id,
    type: r.live ? 'CUSTOMER' : 'LEAD',
    orderCount: r.orderCount,
    totalSpent: r.totalSpent,
    lastOrderAt: r.lastOrderAt?.toISOString() ?? null,
  }));
  expect(expected.filter((e) => e.type === 'LEAD')).toHaveLength(PHONES / 10);

  // The projection the customer list filters and sorts on, and the type it derives.
  const projected = async () =>
    (
      await contactsDb.query(
        `SELECT id::text AS id, type, order_count AS "orderCount", total_spent::text AS "totalSpent",
                last_order_at AS "lastOrderAt"
           FROM customer WHERE workspace_id = $1 ORDER BY id`,
        [ws],
      )
    ).map((c: { lastOrderAt: Date | null }) => ({
      ...c,
      lastOrderAt: c.lastOrderAt?.toISOString() ?? null,
    }));
  expect(
    await eventually(projected, (rows) => JSON.stringify(rows) === JSON.stringify(expected)),
  ).toEqual(expected);

  // The same figures through the gateway: the Orders tab's summary of every customer,
  // and the list's own totalSpent filter.
  const seen: {
    id: string;
    type: string;
    orderSummary: { orderCount: number; totalSpent: number };
  }[] = [];
  let after: string | null = null;
  do {
    const data = await gql(
      `query($after: String) { customers(first: 100, after: $after) { pageInfo { endCursor hasNextPage }
        edges { node { id type orderSummary { orderCount totalSpent } } } } }`,
      { after },
    );
    const page = data.customers as {
      pageInfo: { endCursor: string; hasNextPage: boolean };
      edges: { node: (typeof seen)[number] }[];
    };
    seen.push(...page.edges.map((e) => e.node));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  expect(seen.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
    expected.map((e) => ({
      id: e.id,
      type: e.type,
      orderSummary: { orderCount: e.orderCount, totalSpent: Number(e.totalSpent) },
    })),
  );
  const threshold = 500_000;
  const big = await gql(
    `query($t: VND!) { customers(first: 1, filter: { totalSpent: { gte: $t } }) { totalCount } }`,
    { t: threshold },
  );
  expect((big.customers as { totalCount: number }).totalCount).toBe(
    expected.filter((e) => Number(e.totalSpent) >= threshold).length,
  );
}, 120_000);
