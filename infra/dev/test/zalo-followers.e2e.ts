// Two Zalo users share one phone (a couple), end to end: both share it with the OA at
// once (signed webhooks at the gateway), followers publishes, contacts makes one
// customer of the phone and links both, followers learns both links — all through the
// real broker. The customer page then shows both followers (`zaloFollowers`), the most
// recent as `zaloFollower`, both Zalo ids, and the phone's one holder.
import { randomBytes } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestStack } from './stack';
import { eventually, postSigned, submitInfoBody } from './webhooks';
import type { TestStack } from './stack';

const ws = `zalo-two-${randomBytes(3).toString('hex')}`;
const admin: Identity = { workspaceId: ws, userId: 'admin', role: 'admin' };
const oa = { oaId: `oa${randomBytes(4).toString('hex')}`, appId: 'app-two', secret: 'oa-secret-2' };

let stack: TestStack;
let token: string;

const PAGE = `query($phone: String!) {
  customersByPhone(phone: $phone) { totalCount edges { node {
    id name type externalIds { source id }
    zaloFollower { zaloUserId }
    zaloFollowers { edges { node { zaloUserId displayName phone linkedAt customer { id } } } }
  } } } }`;

interface Holder {
  id: string;
  name: string;
  type: string;
  externalIds: { source: string; id: string }[];
  zaloFollower: { zaloUserId: string } | null;
  zaloFollowers: {
    edges: {
      node: {
        zaloUserId: string;
        displayName: string;
        phone: string;
        linkedAt: string;
        customer: { id: string };
      };
    }[];
  } | null;
}

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.token(admin);
  const connected = await stack.query(
    token,
    'mutation($o: String!, $a: String!, $s: String!) { connectZaloOA(oaId: $o, appId: $a, secretKey: $s) { oaId } }',
    { o: oa.oaId, a: oa.appId, s: oa.secret },
  );
  if (connected.body.errors) throw new Error(JSON.stringify(connected.body.errors));
}, 60_000);
afterAll(() => stack?.stop());

it('links both Zalo users of one phone to its one customer, and shows both', async () => {
  const url = stack.gateway.url.replace('/graphql', '/webhooks/zalo');
  const sent = await Promise.all([
    postSigned(url, oa, submitInfoBody(oa, 'z-wife', { name: 'Chị Mai', phone: '0912 900 001' })),
    postSigned(url, oa, submitInfoBody(oa, 'z-husband', { name: 'Anh Tú', phone: '+84912900001' })),
  ]);
  expect(sent.map((r) => r.status)).toEqual([200, 200]);
  await eventually(
    () => stack.query(token, PAGE, { phone: '84912900001' }),
    (r) => {
      const page = r.body.data?.customersByPhone as { edges: { node: Holder }[] } | undefined;
      return page?.edges[0]?.node.zaloFollowers?.edges.length === 2;
    },
  );
  // Read again once both links are in: the answer that first showed both may have read
  // `zaloFollower` a statement earlier, before the second link committed.
  const { body } = await stack.query(token, PAGE, { phone: '84912900001' });
  expect(body.errors).toBeUndefined();
  const page = body.data!.customersByPhone as { totalCount: number; edges: { node: Holder }[] };
  // One customer of the phone, whichever share came first.
  expect(page.totalCount).toBe(1);
  const [{ node: customer }] = page.edges;
  expect(['Chị Mai', 'Anh Tú']).toContain(customer.name);
  expect(customer.type).toBe('LEAD');
  expect(customer.externalIds.map((x) => `${x.source}:${x.id}`).sort()).toEqual([
    'ZALO:z-husband',
    'ZALO:z-wife',
  ]);
  const followers = customer.zaloFollowers!.edges.map((e) => e.node);
  expect(followers.map((f) => f.zaloUserId).sort()).toEqual(['z-husband', 'z-wife']);
  expect(followers.every((f) => f.customer.id === customer.id)).toBe(true);
  // Newest link first, and the most recent is the one `zaloFollower` shows.
  const times = followers.map((f) => f.linkedAt);
  expect([...times].sort().reverse()).toEqual(times);
  expect(customer.zaloFollower).toEqual({ zaloUserId: followers[0].zaloUserId });
  // The customer's own same-number tab is empty: the two accounts are one customer.
  const same = await stack.query(
    token,
    'query($id: ID!) { customer(id: $id) { sameNumberCustomers { totalCount } } }',
    { id: customer.id },
  );
  expect(same.body.data).toEqual({ customer: { sameNumberCustomers: { totalCount: 0 } } });
});
