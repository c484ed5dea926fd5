// Orders matched to customers by phone (issue 11), through the gateway and the real
// broker: an order whose phone the directory knows is attached at once, in any written
// form; an unknown buyer is made a customer by contacts and the order follows; a
// deleted customer's orders are detached and kept.
import { randomBytes } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestStack } from './stack';
import { eventually } from './webhooks';
import type { TestStack } from './stack';

const ws = `match-${randomBytes(3).toString('hex')}`;
const admin: Identity = { workspaceId: ws, userId: 'admin-1', role: 'admin' };

let stack: TestStack;
let token: string;
beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.token(admin);
}, 60_000);
afterAll(() => stack?.stop());

async function gql(query: string, variables?: object) {
  const { body } = await stack.query(token, query, variables);
  expect(body.errors).toBeUndefined();
  return body.data!;
}

const order = (code: string, buyerPhone: string | null) => ({
  source: 'SHOPEE',
  code,
  status: 'COMPLETED',
  buyerPhone,
  items: [{ productName: 'Áo', quantity: 1, unitPrice: 100_000 }],
  subtotal: 100_000,
  total: 100_000,
  orderedAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:05:00.000Z',
});

async function upsert(...orders: object[]): Promise<void> {
  const data = await gql(
    `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created rejected { field reason } } }`,
    { o: orders },
  );
  expect(data.upsertOrders).toMatchObject({ rejected: [] });
}

/** Order code → the id of its customer (null: unattached). */
async function owners(): Promise<Record<string, string | null>> {
  const data = await gql('{ orders(first: 50) { edges { node { code customer { id } } } } }');
  const edges = (
    data.orders as { edges: { node: { code: string; customer: { id: string } | null } }[] }
  ).edges;
  return Object.fromEntries(edges.map(({ node }) => [node.code, node.customer?.id ?? null]));
}

async function directoryHas(e164: string): Promise<boolean> {
  const rows: unknown[] = await stack
    .db('orders-loyalty')
    .query('SELECT 1 FROM phone_directory WHERE workspace_id = $1 AND e164 = $2', [ws, e164]);
  return rows.length > 0;
}

it('attaches orders by phone in any written form, and makes a customer of an unknown buyer', async () => {
  const lan = (
    await gql(`mutation { createCustomer(input: { name: "Lan", phone: "0912 888 001" }) { id } }`)
  ).createCustomer as { id: string };
  await eventually(() => directoryHas('+84912888001'), Boolean);
  // Known phone, written another way: attached at once. No phone: stays unattached.
  await upsert(order('M-1', '+84 912 888 001'), order('M-2', null), {
    ...order('M-3', '0912888002'),
    buyerName: 'Hoa',
    buyerEmail: 'hoa@example.vn',
  });
  expect(await owners()).toMatchObject({ 'M-1': lan.id, 'M-2': null });

  // M-3's buyer is unknown: orders asks contacts (orders.buyer.seen), which creates the
  // customer (contacts.customer.buyer-matched), and the order follows. Having bought,
  // the buyer is a CUSTOMER.
  const attached = await eventually(owners, (o) => !!o['M-3']);
  const hoa = (
    await gql(
      `{ customerByPhone(phone: "+84 912 888 002") { id name email type orderSummary { orderCount } } }`,
    )
  ).customerByPhone as { id: string };
  expect(attached).toEqual({ 'M-1': lan.id, 'M-2': null, 'M-3': hoa.id });
  const typed = await eventually(
    async () => (await gql(`{ customer(id: "${hoa.id}") { type } }`)).customer as { type: string },
    (c) => c.type === 'CUSTOMER',
  );
  expect(typed).toEqual({ type: 'CUSTOMER' });
  expect(hoa).toMatchObject({
    name: 'Hoa',
    email: 'hoa@example.vn',
    orderSummary: { orderCount: 1 },
  });

  // Deleting Lan detaches her order; it is kept, for the shop's accounts, and the
  // deleted customer's number does not make a new customer.
  await gql(`mutation($ids: [ID!]) { deleteCustomers(ids: $ids) { deleted } }`, { ids: [lan.id] });
  const detached = await eventually(owners, (o) => o['M-1'] === null);
  expect(detached).toEqual({ 'M-1': null, 'M-2': null, 'M-3': hoa.id });
}, 60_000);
