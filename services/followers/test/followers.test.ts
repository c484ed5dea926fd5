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

describe('syncZaloFollowers', () => {
  const SYNC = `mutation($f: [ZaloFollowerSyncInput!]!) { syncZaloFollowers(followers: $f) { created updated } }`;
  const editor: Identity = { workspaceId: 'fol-sync', userId: 'e', role: 'editor' };

  it('imports followers once, with the import time as follow date, then refreshes them', async () => {
    const before = Date.now();
    const batch = [
      { zaloUserId: 's1', displayName: 'Lan', gender: 'FEMALE' },
      { zaloUserId: 's2', displayName: 'Bình' },
    ];
    const first = await subgraph.query(editor, SYNC, { f: batch });
    expect(first.data).toEqual({ syncZaloFollowers: { created: 2, updated: 0 } });
    const again = await subgraph.query(editor, SYNC, {
      f: [{ zaloUserId: 's1', displayName: 'Lan Anh' }, { zaloUserId: 's3' }],
    });
    expect(again.data).toEqual({ syncZaloFollowers: { created: 1, updated: 1 } });
    const list = await subgraph.query(
      editor,
      '{ followers(first: 10, filter: { search: "lan" }) { edges { node { zaloUserId displayName gender followedAt status } } } }',
    );
    const [lan] = list.data!.followers.edges.map((e: any) => e.node);
    expect(lan).toMatchObject({
      zaloUserId: 's1',
      displayName: 'Lan Anh',
      gender: 'FEMALE',
      status: 'FOLLOWING',
    });
    expect(Date.parse(lan.followedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('filters by status and by phone', async () => {
    const none = await subgraph.query(
      editor,
      '{ followers(filter: { status: UNFOLLOWED }) { edges { cursor } } }',
    );
    expect(none.data!.followers.edges).toEqual([]);
    const phones = await subgraph.query(
      ws,
      '{ followers(first: 10, filter: { hasPhone: true, linked: false }) { edges { node { zaloUserId } } } }',
    );
    expect(phones.data!.followers.edges).toEqual([]);
  });

  it.each([
    [
      'over 1,000 followers',
      Array.from({ length: 1001 }, (_, i) => ({ zaloUserId: `x${i}` })),
      'followers',
    ],
    ['a repeated user', [{ zaloUserId: 'd' }, { zaloUserId: 'd' }], 'followers[1].zaloUserId'],
    ['a malformed user id', [{ zaloUserId: 'no spaces please' }], 'followers[0].zaloUserId'],
  ])('refuses %s, naming the input, and writes nothing', async (_label, f, field) => {
    const body = await subgraph.query(editor, SYNC, { f });
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    const rows = await subgraph.db.query(
      `SELECT count(*)::int AS n FROM zalo_follower WHERE zalo_user_id IN ('d', 'x0', 'no spaces please')`,
    );
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('is for admins and editors only', async () => {
    const staff: Identity = { ...editor, role: 'staff' };
    const body = await subgraph.query(staff, SYNC, { f: [{ zaloUserId: 'z' }] });
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
