// Several followers per customer (two Zalo accounts sharing one phone): the links
// contacts announces (contacts.customer.zalo-linked) both stand, `Customer.zaloFollowers`
// lists them newest link first (one query for a page of customers), and
// `Customer.zaloFollower` is the most recent; on real Postgres.
import { randomUUID } from 'node:crypto';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import {
  CUSTOMER_ASSIGNED,
  CUSTOMER_ZALO_LINKED,
  createEvent,
  createLogger,
  customerAccessModule,
} from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { followersSubgraph } from '../src';
import { followersModule } from '../src/followers/followers.module';
import { onCustomerZaloLinked } from '../src/followers/customer-linked.handler';

const ws = `followers-${randomUUID().slice(0, 8)}`;
const admin: Identity = { workspaceId: ws, userId: 'admin', role: 'admin' };
const sam: Identity = { workspaceId: ws, userId: 'sam', role: 'staff' };
const kim: Identity = { workspaceId: ws, userId: 'kim', role: 'staff' };
const other: Identity = { workspaceId: `${ws}-other`, userId: 'admin', role: 'admin' };
// The couple's customer is Sam's; the shop's is nobody's.
const [COUPLE, SHOP, LONE] = [randomUUID(), randomUUID(), randomUUID()];

const TAB = `query($r: [_Any!]!, $first: Int, $after: String) { _entities(representations: $r) {
  ... on Customer {
    zaloFollower { zaloUserId }
    zaloFollowers(first: $first, after: $after) {
      edges { node { zaloUserId linkedAt customer { id } } } pageInfo { hasNextPage endCursor } } } } }`;

interface Tab {
  zaloFollower: { zaloUserId: string } | null;
  zaloFollowers: {
    edges: { node: { zaloUserId: string; linkedAt: string; customer: { id: string } } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  } | null;
}

let subgraph: TestSubgraph;
/** Zalo user id → follower id. */
const followers: Record<string, string> = {};

const minute = (n: number) => new Date(Date.UTC(2026, 4, 1, 10, n)).toISOString();

function linked(zaloUserId: string, customerId: string, at: string) {
  return {
    ...createEvent({
      type: CUSTOMER_ZALO_LINKED,
      workspaceId: ws,
      key: customerId,
      payload: {
        customerId,
        followerId: followers[zaloUserId],
        zaloUserId,
        phoneE164: '+84912800001',
        created: false,
      },
    }),
    occurredAt: at,
  };
}

async function tab(who: Identity, ids: string[], first?: number, after?: string | null) {
  const body = await subgraph.query(who, TAB, {
    r: ids.map((id) => ({ __typename: 'Customer', id })),
    first,
    after,
  });
  expect(body.errors).toBeUndefined();
  return body.data!._entities as (Tab | null)[];
}
const users = (t: Tab | null) => t?.zaloFollowers?.edges.map((e) => e.node.zaloUserId);

beforeAll(async () => {
  subgraph = await startTestSubgraph(followersSubgraph);
  await subgraph.db.query('INSERT INTO workspace (id) VALUES ($1), ($2)', [ws, other.workspaceId]);
  for (const [i, user] of ['z-wife', 'z-husband', 'z-shop-1', 'z-shop-2', 'z-lone'].entries()) {
    const [{ id }] = await subgraph.db.query(
      `INSERT INTO zalo_follower (workspace_id, zalo_user_id, display_name, followed_at, status, phone)
       VALUES ($1, $2, $2, $3, 'FOLLOWING', '0912 800 001') RETURNING id`,
      [ws, user, minute(i)],
    );
    followers[user] = id;
  }
  await applyEvents(
    subgraph.db,
    customerAccessModule,
    createEvent({
      type: CUSTOMER_ASSIGNED,
      workspaceId: ws,
      key: COUPLE,
      payload: { customerId: COUPLE, assignedStaff: 'sam' },
    }),
  );
  // The wife followed first but shared the phone last: hers is the most recent link.
  await applyEvents(
    subgraph.db,
    followersModule,
    linked('z-husband', COUPLE, minute(10)),
    linked('z-wife', COUPLE, minute(11)),
    linked('z-lone', LONE, minute(12)),
  );
  // The shop's two accounts in one run.
  await subgraph.db.transaction((tx) =>
    onCustomerZaloLinked.batch(
      tx,
      [linked('z-shop-1', SHOP, minute(20)), linked('z-shop-2', SHOP, minute(21))],
      createLogger('error'),
    ),
  );
}, 60_000);
afterAll(() => subgraph?.stop());

it('lists every follower of a customer, newest link first, and the most recent as zaloFollower', async () => {
  const spy = jest.spyOn(PostgresQueryRunner.prototype, 'query');
  const [couple, shop, lone, nobody] = await tab(admin, [COUPLE, SHOP, LONE, randomUUID()]);
  const pages = spy.mock.calls.filter(([sql]) => /CROSS JOIN LATERAL/.test(String(sql)));
  spy.mockRestore();
  expect(pages).toHaveLength(1); // one query for every customer's page
  expect(couple).toEqual({
    zaloFollower: { zaloUserId: 'z-wife' },
    zaloFollowers: {
      edges: [
        { node: { zaloUserId: 'z-wife', linkedAt: minute(11), customer: { id: COUPLE } } },
        { node: { zaloUserId: 'z-husband', linkedAt: minute(10), customer: { id: COUPLE } } },
      ],
      pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
    },
  });
  expect(users(shop)).toEqual(['z-shop-2', 'z-shop-1']);
  expect(shop!.zaloFollower).toEqual({ zaloUserId: 'z-shop-2' });
  expect(users(lone)).toEqual(['z-lone']);
  expect(nobody).toEqual({
    zaloFollower: null,
    zaloFollowers: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } },
  });
});

it('pages by cursor, and refuses a page over 50', async () => {
  const [one] = await tab(admin, [COUPLE], 1);
  expect(users(one)).toEqual(['z-wife']);
  expect(one!.zaloFollowers!.pageInfo.hasNextPage).toBe(true);
  const [two] = await tab(admin, [COUPLE], 1, one!.zaloFollowers!.pageInfo.endCursor);
  expect(users(two)).toEqual(['z-husband']);
  expect(two!.zaloFollowers!.pageInfo.hasNextPage).toBe(false);
  const bad = await subgraph.query(admin, TAB, {
    r: [{ __typename: 'Customer', id: COUPLE }],
    first: 51,
  });
  expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
});

it('shows a customer’s followers to the staff it is assigned to only, and to its workspace only', async () => {
  const [couple, shop] = await tab(sam, [COUPLE, SHOP]);
  expect(users(couple)).toEqual(['z-wife', 'z-husband']);
  // A customer staff may not see resolves to nothing here.
  expect(shop).toBeNull();
  expect(await tab(kim, [COUPLE])).toEqual([null]);
  const [theirs] = await tab(other, [COUPLE]);
  expect(theirs).toEqual({
    zaloFollower: null,
    zaloFollowers: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } },
  });
});

it('keeps a newer link when an older one for another customer arrives late', async () => {
  // The lone follower shared another number: contacts moved its link at minute 30…
  await applyEvents(subgraph.db, followersModule, linked('z-lone', SHOP, minute(30)));
  // …and the link of minute 12, redelivered, changes nothing.
  await applyEvents(subgraph.db, followersModule, linked('z-lone', LONE, minute(12)));
  const [shop, lone] = await tab(admin, [SHOP, LONE]);
  expect(users(shop)).toEqual(['z-lone', 'z-shop-2', 'z-shop-1']);
  expect(users(lone)).toEqual([]);
});

it('keeps the newest link of a follower linked twice in one run, whatever their order', async () => {
  // One run may hold two partitions' events (keyed by customer): the newer link first.
  await subgraph.db.transaction((tx) =>
    onCustomerZaloLinked.batch(
      tx,
      [linked('z-lone', LONE, minute(40)), linked('z-lone', SHOP, minute(35))],
      createLogger('error'),
    ),
  );
  const [shop, lone] = await tab(admin, [SHOP, LONE]);
  expect(users(lone)).toEqual(['z-lone']);
  expect(users(shop)).toEqual(['z-shop-2', 'z-shop-1']);
});
