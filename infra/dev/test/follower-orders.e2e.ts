// The follower list's "total orders" (seed 000), through the gateway: the followers
// subgraph links a follower to a customer, orders-loyalty counts that customer's orders
// (`ZaloFollower.totalOrders @requires(customer { id })`). Another workspace's orders
// with the same phone never count.
import { randomBytes } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestStack } from './stack';
import { eventually, followBody, postSigned, submitInfoBody } from './webhooks';
import type { TestStack, GraphQLResult } from './stack';
import type { ZaloOA } from './webhooks';

const ws = `forders-${randomBytes(3).toString('hex')}`;
const other = `forders-other-${randomBytes(3).toString('hex')}`;
const oa: ZaloOA = {
  oaId: `oa${randomBytes(4).toString('hex')}`,
  appId: 'app-77',
  secret: 'oa-secret-77',
};

let stack: TestStack;
let admin: string;
let otherAdmin: string;

async function gql(token: string, query: string, variables?: object) {
  const { body }: GraphQLResult = await stack.query(token, query, variables);
  expect(body.errors).toBeUndefined();
  return body.data!;
}

const order = (code: string, phone: string, status = 'COMPLETED') => ({
  source: 'WEBSITE',
  code,
  status,
  buyerPhone: phone,
  items: [{ productName: 'Trà', quantity: 1, unitPrice: 50_000 }],
  subtotal: 50_000,
  total: 50_000,
  orderedAt: '2026-05-01T08:00:00.000Z',
  updatedAt: '2026-05-01T08:00:00.000Z',
});

const UPSERT = `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { rejected { reason } } }`;
const FOLLOWERS = `{ followers(first: 20) { edges { node { zaloUserId totalOrders } } } }`;

beforeAll(async () => {
  stack = await startTestStack();
  const id = (workspaceId: string): Identity => ({ workspaceId, userId: 'a', role: 'admin' });
  admin = await stack.token(id(ws));
  otherAdmin = await stack.token(id(other));
  await gql(
    admin,
    'mutation($o: String!, $a: String!, $s: String!) { connectZaloOA(oaId: $o, appId: $a, secretKey: $s) { oaId } }',
    { o: oa.oaId, a: oa.appId, s: oa.secret },
  );
}, 60_000);
afterAll(() => stack?.stop());

it('shows each follower the orders of their customer, 0 when not linked', async () => {
  const url = stack.gateway.url.replace('/graphql', '/webhooks/zalo');
  for (const user of ['z-an', 'z-binh', 'z-chi']) {
    expect((await postSigned(url, oa, followBody(oa, user))).status).toBe(200);
  }
  // An and Bình share phones and become customers; Chi shares nothing.
  await postSigned(url, oa, submitInfoBody(oa, 'z-an', { name: 'An', phone: '0912 700 001' }));
  await postSigned(url, oa, submitInfoBody(oa, 'z-binh', { name: 'Bình', phone: '0912700002' }));
  await eventually(
    () => gql(admin, '{ followers(filter: { linked: true }) { edges { node { id } } } }'),
    (d) => (d.followers as { edges: unknown[] }).edges.length === 2,
  );
  await gql(admin, UPSERT, {
    o: [
      order('F-1', '+84912700001'),
      order('F-2', '84912700001', 'SHIPPING'),
      order('F-3', '0912700001', 'CANCELLED'),
      order('F-4', '0912 700 002'),
    ],
  });
  // The same phones in another workspace: never counted here.
  await gql(otherAdmin, UPSERT, { o: [order('X-1', '0912700001'), order('X-2', '0912700002')] });

  const counts = await eventually(
    async () => {
      const data = await gql(admin, FOLLOWERS);
      const edges = (
        data.followers as { edges: { node: { zaloUserId: string; totalOrders: number } }[] }
      ).edges;
      return Object.fromEntries(edges.map(({ node }) => [node.zaloUserId, node.totalOrders]));
    },
    (c) => c['z-an'] === 2 && c['z-binh'] === 1,
  );
  // The cancelled order does not count; Chi is not linked to a customer.
  expect(counts).toEqual({ 'z-an': 2, 'z-binh': 1, 'z-chi': 0 });
}, 60_000);
