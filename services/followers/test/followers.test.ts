// followers alone: the follower list and the Customer.zaloFollower tab, on real Postgres.
import { DEMO_CUSTOMERS } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { followersSubgraph } from '../src';

const ws: Identity = { workspaceId: 'fol-ws', userId: 'u1', role: 'admin' };
const other: Identity = { workspaceId: 'fol-other', userId: 'u2', role: 'admin' };

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(followersSubgraph, { demoWorkspaceId: ws.workspaceId });
});
afterAll(() => subgraph?.stop());

it('lists followers, most recent follow first, page by page', async () => {
  const LIST = `query($after: String) { followers(first: 3, after: $after) {
    edges { node { zaloUserId displayName followedAt customer { id } } }
    pageInfo { hasNextPage endCursor } } }`;
  const one = await subgraph.query(ws, LIST, {});
  const two = await subgraph.query(ws, LIST, { after: one.data!.followers.pageInfo.endCursor });
  const nodes = [...one.data!.followers.edges, ...two.data!.followers.edges].map(
    (e: any) => e.node,
  );
  expect(nodes).toHaveLength(5);
  const times = nodes.map((n: any) => n.followedAt);
  expect([...times].sort().reverse()).toEqual(times);
  expect(two.data!.followers.pageInfo.hasNextPage).toBe(false);
  expect(nodes.filter((n: any) => n.customer).length).toBe(3);
});

it('resolves a customer’s follower through _entities, only in its workspace', async () => {
  const QUERY = `query($r: [_Any!]!) { _entities(representations: $r) {
    ... on Customer { zaloFollower { displayName status customer { id } } } } }`;
  const r = [
    { __typename: 'Customer', id: DEMO_CUSTOMERS[0].id },
    { __typename: 'Customer', id: DEMO_CUSTOMERS[4].id },
  ];
  const mine = await subgraph.query(ws, QUERY, { r });
  expect(mine.data!._entities).toEqual([
    {
      zaloFollower: {
        displayName: DEMO_CUSTOMERS[0].name,
        status: 'FOLLOWING',
        customer: { id: DEMO_CUSTOMERS[0].id },
      },
    },
    { zaloFollower: null },
  ]);
  const theirs = await subgraph.query(other, QUERY, { r });
  expect(theirs.data!._entities).toEqual([{ zaloFollower: null }, { zaloFollower: null }]);
});
