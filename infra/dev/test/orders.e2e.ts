// Orders through the gateway (issue 11): a shop connector's upsertOrders as an editor,
// then every path to an order as staff (their customers' orders only) and as an admin
// (every order, the unattached ones too).
import { randomUUID } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestStack } from './stack';
import type { TestStack } from './stack';

const ws = `ws-orders-${randomUUID().slice(0, 8)}`;
const admin: Identity = { workspaceId: ws, userId: 'a1', role: 'admin' };
const sam: Identity = { workspaceId: ws, userId: 'sam', role: 'staff' };
const customers = { sam: '', kim: '' };
const codes = { sam: 'S-1', kim: 'K-1', none: 'N-1' };
const orderIds: Record<string, string> = {};

let stack: TestStack;

async function gql(who: Identity, query: string, variables?: object) {
  const { body } = await stack.query(await stack.token(who), query, variables);
  return body;
}

function order(code: string, customerId: string | null) {
  return {
    source: 'SHOPEE',
    code,
    status: 'CONFIRMED',
    customerId,
    buyerPhone: '0912 345 678',
    items: [{ productName: 'Áo', quantity: 2, unitPrice: 50_000 }],
    subtotal: 100_000,
    shippingFee: 20_000,
    total: 120_000,
    orderedAt: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:05:00.000Z',
  };
}

beforeAll(async () => {
  stack = await startTestStack();
  for (const staff of ['sam', 'kim'] as const) {
    const body = await gql(
      admin,
      `mutation($input: CustomerInput!) { createCustomer(input: $input) { id } }`,
      { input: { name: `Khách ${staff}`, assignedStaff: staff } },
    );
    customers[staff] = (body.data!.createCustomer as { id: string }).id;
  }
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [{ n }] = await stack
      .db('orders-loyalty')
      .query('SELECT count(*)::int AS n FROM customer_access WHERE workspace_id = $1', [ws]);
    if (n === 2) break;
    if (Date.now() > deadline) throw new Error('the assignments did not reach orders-loyalty');
    await new Promise((r) => setTimeout(r, 100));
  }
  const up = await gql(
    admin,
    `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created rejected { field } } }`,
    {
      o: [
        order(codes.sam, customers.sam),
        order(codes.kim, customers.kim),
        order(codes.none, null),
      ],
    },
  );
  const result = JSON.stringify(up.data?.upsertOrders ?? up.errors);
  if (result !== JSON.stringify({ created: 3, rejected: [] })) {
    throw new Error(`upsertOrders answered ${result}`);
  }
  const all = await gql(admin, '{ orders(first: 10) { edges { node { id code } } } }');
  for (const { node } of (all.data!.orders as { edges: { node: { id: string; code: string } }[] })
    .edges) {
    orderIds[node.code] = node.id;
  }
}, 60_000);
afterAll(() => stack?.stop());

const LIST = `{ orders(first: 10) { totalCount edges { node { code customer { id } } } } }`;

it('shows an admin every order, the unattached one too', async () => {
  const body = await gql(admin, LIST);
  const orders = body.data!.orders as { totalCount: number; edges: { node: { code: string } }[] };
  expect(orders.totalCount).toBe(3);
  expect(orders.edges.map((e) => e.node.code).sort()).toEqual(['K-1', 'N-1', 'S-1']);
  const one = await gql(admin, `query($id: ID!) { order(id: $id) { code customer { id } } }`, {
    id: orderIds[codes.none],
  });
  expect(one.data!.order).toEqual({ code: 'N-1', customer: null });
});

it('shows staff only their customers’ orders, through every path', async () => {
  const list = await gql(sam, LIST);
  expect(list.data!.orders).toEqual({
    totalCount: 1,
    edges: [{ node: { code: 'S-1', customer: { id: customers.sam } } }],
  });
  const byId = await gql(
    sam,
    `query($s: ID!, $k: ID!, $n: ID!) { s: order(id: $s) { code } k: order(id: $k) { code } n: order(id: $n) { code } }`,
    { s: orderIds[codes.sam], k: orderIds[codes.kim], n: orderIds[codes.none] },
  );
  expect(byId.data).toEqual({ s: { code: 'S-1' }, k: null, n: null });
  const tab = await gql(
    sam,
    `{ customers(first: 10) { edges { node { id orders(first: 5) { totalCount edges { node { code } } } } } } }`,
  );
  const rows = (tab.data!.customers as { edges: { node: { id: string; orders: unknown } }[] })
    .edges;
  expect(rows).toEqual([
    { node: { id: customers.sam, orders: { totalCount: 1, edges: [{ node: { code: 'S-1' } }] } } },
  ]);
  const kim = await gql(
    sam,
    `query($id: ID!) { customer(id: $id) { orders(first: 5) { edges { node { code } } } } }`,
    { id: customers.kim },
  );
  expect(kim.data?.customer ?? null).toBeNull();
  const phone = await gql(sam, `{ orders(filter: { phone: "+84912345678" }) { totalCount } }`);
  expect(phone.data!.orders).toEqual({ totalCount: 1 });
});

it('refuses upsertOrders to staff, and 501 orders to an admin naming the field', async () => {
  const q = `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created } }`;
  const staff = await gql(sam, q, { o: [order('X-1', null)] });
  expect(staff.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const many = await gql(admin, q, {
    o: Array.from({ length: 501 }, (_, i) => order(`M-${i}`, null)),
  });
  expect(many.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'orders' });
});

it('names the argument path of a money or time value a custom scalar refuses', async () => {
  const q = `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created } }`;
  const money = await gql(admin, q, { o: [{ ...order('V-1', null), total: 1.5 }] });
  expect(money.errors?.[0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'o[0].total',
  });
  const time = await gql(admin, q, { o: [{ ...order('V-2', null), orderedAt: 'soon' }] });
  expect(time.errors?.[0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'o[0].orderedAt',
  });
});
