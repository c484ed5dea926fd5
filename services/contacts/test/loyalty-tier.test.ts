// orders.customer.tier-changed projected onto the customer: only a newer version
// applies, a redelivery or a late event changes nothing, a run keeps each customer's
// newest, and an event for a customer contacts does not have, or of another
// workspace, changes nothing. Then the list filtered and sorted by tier, through the
// subgraph's API, and the same filter in a saved list.
import { randomUUID } from 'node:crypto';
import { CUSTOMER_TIER_CHANGED, createEvent, createLogger } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { loyaltyTierModule } from '../src/loyalty-tier/loyalty-tier.module';
import { onTierChanged } from '../src/loyalty-tier/tier-changed.handler';

const ws = 'tier-ws';
const admin: Identity = { workspaceId: ws, userId: 'boss', role: 'admin' };
const other: Identity = { workspaceId: 'tier-other-ws', userId: 'boss', role: 'admin' };
const TIERS = [null, 'Bạc', 'Vàng', 'Kim cương'];
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
});
afterAll(() => subgraph?.stop());

async function create(name: string, as = admin): Promise<string> {
  const body = await subgraph.query(
    as,
    `mutation($input: CustomerInput!) { createCustomer(input: $input) { id } }`,
    { input: { name } },
  );
  expect(body.errors).toBeUndefined();
  return (body.data!.createCustomer as { id: string }).id;
}

function tier(
  customerId: string,
  version: number,
  rank: number,
  workspaceId = ws,
  tierName = TIERS[rank],
) {
  return createEvent({
    type: CUSTOMER_TIER_CHANGED,
    workspaceId,
    key: customerId,
    payload: {
      customerId,
      version,
      tierRank: rank,
      tierName,
      qualifyingPoints: rank * 1000,
    },
  });
}

const apply = (...events: ReturnType<typeof tier>[]) =>
  applyEvents(subgraph.db, loyaltyTierModule, ...events);

async function row(id: string) {
  const [r] = await subgraph.db.query(
    `SELECT loyalty_tier_rank AS rank, loyalty_tier_name AS name,
            loyalty_tier_version::int AS version, updated_at AS "updatedAt"
       FROM customer WHERE id = $1`,
    [id],
  );
  return r;
}

describe('the projection', () => {
  it('reads no tier before any event', async () => {
    expect(await row(await create('Mới'))).toMatchObject({ rank: 0, name: null, version: 0 });
  });

  it('applies a newer version, ignores older and redelivered ones, and leaves updatedAt', async () => {
    const id = await create('Lan');
    const before = await row(id);
    await apply(tier(id, 2, 2));
    const applied = await row(id);
    expect(applied).toEqual({ rank: 2, name: 'Vàng', version: 2, updatedAt: before.updatedAt });
    // Redelivered (a new event id, the same version) and late: nothing changes.
    await apply(tier(id, 2, 3), tier(id, 1, 1));
    expect(await row(id)).toEqual(applied);
    // Down to no tier: no name, whatever the event carried.
    await apply(tier(id, 3, 0, ws, 'x'));
    expect(await row(id)).toMatchObject({ rank: 0, name: null, version: 3 });
  });

  it('takes the newest event of each customer in a run, whatever their order', async () => {
    const [a, b] = [await create('A'), await create('B')];
    const run = [tier(a, 5, 1), tier(b, 1, 3), tier(a, 7, 2), tier(a, 6, 3), tier(b, 1, 1)];
    await subgraph.db.transaction((tx) => onTierChanged.batch(tx, run, createLogger('error')));
    expect(await row(a)).toMatchObject({ version: 7, rank: 2, name: 'Vàng' });
    expect(await row(b)).toMatchObject({ version: 1, rank: 3 });
  });

  it('changes nothing for a customer it does not have, nor across workspaces', async () => {
    const mine = await create('Mine');
    const theirs = await create('Theirs', other);
    const before = await Promise.all([row(mine), row(theirs)]);
    await apply(tier(mine, 1, 3, other.workspaceId), tier(theirs, 1, 3), tier(randomUUID(), 1, 3));
    expect(await Promise.all([row(mine), row(theirs)])).toEqual(before);
  });

  it('ignores an event of a deleted customer', async () => {
    const id = await create('Gone');
    const body = await subgraph.query(
      admin,
      `mutation($ids: [ID!]) { deleteCustomers(ids: $ids) { deleted } }`,
      { ids: [id] },
    );
    expect(body.errors).toBeUndefined();
    await apply(tier(id, 1, 2));
    const [{ n }] = await subgraph.db.query(
      'SELECT count(*)::int AS n FROM customer WHERE id = $1',
      [id],
    );
    expect(n).toBe(0);
  });
});

describe('the list by tier', () => {
  const listWs: Identity = { workspaceId: 'tier-list-ws', userId: 'boss', role: 'admin' };
  const LIST = `query($filter: CustomerFilter, $sort: [CustomerSort!], $after: String) {
    customers(filter: $filter, sort: $sort, first: 2, after: $after) {
      totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }`;

  /** Every matching name, in the list's order, read two per page through the cursors. */
  async function names(filter: object | null, sort?: object[]): Promise<string[]> {
    const all: string[] = [];
    let after: string | null = null;
    for (;;) {
      const body = await subgraph.query(listWs, LIST, { filter, sort, after });
      expect(body.errors).toBeUndefined();
      const page = body.data!.customers as {
        totalCount: number;
        edges: { node: { name: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
      all.push(...page.edges.map((e) => e.node.name));
      if (!page.pageInfo.hasNextPage) {
        expect(page.totalCount).toBe(all.length);
        return all;
      }
      after = page.pageInfo.endCursor;
    }
  }
  const byName = [{ field: 'NAME' }];

  beforeAll(async () => {
    const ranks: [string, number][] = [
      ['An', 3],
      ['Bình', 1],
      ['Cúc', 2],
      ['Dũng', 0],
      ['Em', 2],
      ['Phúc', 0],
    ];
    for (const [name, rank] of ranks) {
      const id = await create(name, listWs);
      if (rank > 0) await apply(tier(id, 1, rank, listWs.workspaceId));
    }
    // Another workspace's Kim cương customer is never listed here.
    await apply(tier(await create('Elsewhere', other), 1, 3, other.workspaceId));
  });

  it('filters by tier name, with the NULL rule for customers without a tier', async () => {
    expect(await names({ tier: { eq: 'Vàng' } }, byName)).toEqual(['Cúc', 'Em']);
    expect(await names({ tier: { in: ['Bạc', 'Kim cương'] } }, byName)).toEqual(['An', 'Bình']);
    // Typed decomposed (NFD): the same name.
    expect(await names({ tier: { eq: 'Vàng'.normalize('NFD') } }, byName)).toEqual(['Cúc', 'Em']);
    expect(await names({ tier: { isEmpty: true } }, byName)).toEqual(['Dũng', 'Phúc']);
    expect(await names({ tier: { isNotEmpty: true } }, byName)).toEqual([
      'An',
      'Bình',
      'Cúc',
      'Em',
    ]);
    expect(await names({ tier: { neq: 'Vàng' } }, byName)).toEqual(['An', 'Bình', 'Dũng', 'Phúc']);
  });

  it('filters by rank: "Vàng and above"', async () => {
    expect(await names({ tierRank: { gte: 2 } }, byName)).toEqual(['An', 'Cúc', 'Em']);
    expect(await names({ tierRank: { eq: 0 } }, byName)).toEqual(['Dũng', 'Phúc']);
    expect(await names({ tierRank: { between: [1, 2] } }, byName)).toEqual(['Bình', 'Cúc', 'Em']);
  });

  it('sorts by tier, ties broken by the id or by the next key, page after page', async () => {
    expect(await names(null, [{ field: 'TIER', direction: 'DESC' }, { field: 'NAME' }])).toEqual([
      'An',
      'Cúc',
      'Em',
      'Bình',
      'Dũng',
      'Phúc',
    ]);
    expect(await names(null, [{ field: 'TIER' }, { field: 'NAME' }])).toEqual([
      'Dũng',
      'Phúc',
      'Bình',
      'Cúc',
      'Em',
      'An',
    ]);
    // Alone, ties go by the id: every customer once across the pages, ranks in order.
    const ranks = { An: 3, Bình: 1, Cúc: 2, Dũng: 0, Em: 2, Phúc: 0 } as Record<string, number>;
    const alone = await names(null, [{ field: 'TIER', direction: 'DESC' }]);
    expect([...alone].sort()).toEqual(['An', 'Bình', 'Cúc', 'Dũng', 'Em', 'Phúc']);
    expect(alone.map((n) => ranks[n])).toEqual([3, 2, 2, 1, 0, 0]);
  });

  it('refuses what is not a tier condition, naming the part', async () => {
    const body = await subgraph.query(listWs, LIST, {
      filter: { or: [{ tierRank: { between: [3, 1] } }] },
    });
    expect(body.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.or[0].tierRank.between',
    });
  });

  it('serves a saved list with the same filter', async () => {
    const body = await subgraph.query(
      listWs,
      `mutation($filter: CustomerFilter!) { createCustomerList(name: "Vàng+", filter: $filter) {
         count customers(sort: [{ field: TIER, direction: DESC }, { field: NAME }]) {
           edges { node { name } } } } }`,
      { filter: { tierRank: { gte: 2 } } },
    );
    expect(body.errors).toBeUndefined();
    const list = body.data!.createCustomerList as {
      count: number;
      customers: { edges: { node: { name: string } }[] };
    };
    expect(list.count).toBe(3);
    expect(list.customers.edges.map((e) => e.node.name)).toEqual(['An', 'Cúc', 'Em']);
  });
});
