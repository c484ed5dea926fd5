// The customer list filtered and sorted by the figures orders announces (orderCount,
// totalSpent, lastOrderAt), through the subgraph's API: the issue's example "spent over
// 2,000,000 ₫ and no order in 90 days", the NULL rule for customers without orders,
// keyset pages across them, and the same filter in saved lists, splits, bulk jobs and
// views.
import { CUSTOMER_SUMMARY_CHANGED, createEvent } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { buyersModule } from '../src/buyers/buyers.module';

const admin: Identity = { workspaceId: 'figures-ws', userId: 'boss', role: 'admin' };
const other: Identity = { workspaceId: 'figures-other-ws', userId: 'boss', role: 'admin' };
const DAY = 86_400_000;
const now = Date.now();
const daysAgo = (days: number) => new Date(now - days * DAY).toISOString();
const since = daysAgo(90);

let subgraph: TestSubgraph;

async function create(name: string, as = admin): Promise<string> {
  const body = await subgraph.query(
    as,
    `mutation($input: CustomerInput!) { createCustomer(input: $input) { id } }`,
    { input: { name } },
  );
  expect(body.errors).toBeUndefined();
  return (body.data!.createCustomer as { id: string }).id;
}

async function bought(as: Identity, id: string, orders: number, spent: number, lastDays: number) {
  await applyEvents(
    subgraph.db,
    buyersModule,
    createEvent({
      type: CUSTOMER_SUMMARY_CHANGED,
      workspaceId: as.workspaceId,
      key: id,
      payload: {
        customerId: id,
        version: 1,
        orderCount: orders,
        completedCount: orders,
        totalSpent: spent,
        firstOrderAt: daysAgo(400),
        lastOrderAt: daysAgo(lastDays),
        hasLiveOrder: true,
      },
    }),
  );
}

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
  const figures: [string, number, number, number][] = [
    ['An', 3, 3_000_000, 100],
    ['Bình', 2, 2_500_000, 10],
    ['Cúc', 1, 1_000_000, 200],
    ['Em', 5, 5_000_000, 91],
    ['Phúc', 4, 2_000_000, 120],
  ];
  for (const [name, orders, spent, lastDays] of figures) {
    await bought(admin, await create(name), orders, spent, lastDays);
  }
  await create('Dũng'); // no orders
  await bought(other, await create('Elsewhere', other), 9, 9_000_000, 365);
});
afterAll(() => subgraph?.stop());

const LIST = `query($filter: CustomerFilter, $sort: [CustomerSort!], $after: String) {
  customers(filter: $filter, sort: $sort, first: 2, after: $after) {
    totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }`;

/** Every matching name, in the list's order, read two per page through the cursors. */
async function names(filter: object | null, sort?: object[]): Promise<string[]> {
  const all: string[] = [];
  let after: string | null = null;
  for (;;) {
    const body = await subgraph.query(admin, LIST, { filter, sort, after });
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
const NINETY_DAYS = { totalSpent: { gt: 2_000_000 }, not: { lastOrderAt: { gte: since } } };

describe('filtering', () => {
  it('finds who spent over 2,000,000 ₫ and has not ordered in 90 days', async () => {
    expect(await names(NINETY_DAYS, [{ field: 'TOTAL_SPENT', direction: 'DESC' }])).toEqual([
      'Em',
      'An',
    ]);
  });

  it('holds customers without orders to the NULL rule on lastOrderAt', async () => {
    // Positive comparisons leave them out; negations and isEmpty take them in.
    expect(await names({ lastOrderAt: { lt: since } }, byName)).toEqual([
      'An',
      'Cúc',
      'Em',
      'Phúc',
    ]);
    expect(await names({ not: { lastOrderAt: { gte: since } } }, byName)).toEqual([
      'An',
      'Cúc',
      'Dũng',
      'Em',
      'Phúc',
    ]);
    expect(await names({ lastOrderAt: { isEmpty: true } }, byName)).toEqual(['Dũng']);
    expect(await names({ lastOrderAt: { between: [daysAgo(150), daysAgo(95)] } }, byName)).toEqual([
      'An',
      'Phúc',
    ]);
  });

  it('reads 0 orders and 0 ₫ for customers without orders', async () => {
    expect(await names({ orderCount: { eq: 0 } }, byName)).toEqual(['Dũng']);
    expect(await names({ totalSpent: { lt: 1_500_000 } }, byName)).toEqual(['Cúc', 'Dũng']);
    expect(await names({ orderCount: { in: [2, 3], neq: 3 } }, byName)).toEqual(['Bình']);
  });

  it('refuses a bad value as BAD_USER_INPUT naming the part', async () => {
    const reversed = await subgraph.query(admin, LIST, {
      filter: { or: [{ orderCount: { between: [5, 1] } }] },
    });
    expect(reversed.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.or[0].orderCount.between',
    });
    expect(reversed.data).toBeNull();
    // Refused by the VND scalar while GraphQL reads the variables: the message names the
    // path (extensions.field names the scalar, as for any scalar the runtime shares).
    const fraction = await subgraph.query(admin, LIST, { filter: { totalSpent: { gt: 1.5 } } });
    expect(fraction.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(fraction.errors?.[0].message).toContain('filter.totalSpent.gt');
  });
});

describe('sorting', () => {
  it('sorts by the last order, customers without orders as the oldest, page after page', async () => {
    const oldestFirst = ['Dũng', 'Cúc', 'Phúc', 'An', 'Em', 'Bình'];
    expect(await names(null, [{ field: 'LAST_ORDER_AT' }])).toEqual(oldestFirst);
    expect(await names(null, [{ field: 'LAST_ORDER_AT', direction: 'DESC' }])).toEqual(
      [...oldestFirst].reverse(),
    );
  });

  it('sorts by spending and by order count, with other keys after them', async () => {
    expect(await names(null, [{ field: 'TOTAL_SPENT', direction: 'DESC' }])).toEqual([
      'Em',
      'An',
      'Bình',
      'Phúc',
      'Cúc',
      'Dũng',
    ]);
    expect(
      await names(null, [{ field: 'ORDER_COUNT' }, { field: 'NAME', direction: 'DESC' }]),
    ).toEqual(['Dũng', 'Cúc', 'Bình', 'An', 'Phúc', 'Em']);
  });

  it('refuses a cursor whose value is not of its sort', async () => {
    const first = await subgraph.query(admin, LIST, { sort: [{ field: 'TOTAL_SPENT' }] });
    const cursor = JSON.parse(
      Buffer.from(
        (first.data!.customers as { pageInfo: { endCursor: string } }).pageInfo.endCursor,
        'base64url',
      ).toString(),
    );
    const forged = Buffer.from(JSON.stringify({ ...cursor, keys: ['1e3'] })).toString('base64url');
    const body = await subgraph.query(admin, LIST, {
      sort: [{ field: 'TOTAL_SPENT' }],
      after: forged,
    });
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('the same filter everywhere', () => {
  it('serves saved lists, their splits, views and bulk jobs', async () => {
    const created = await subgraph.query(
      admin,
      `mutation($filter: CustomerFilter!) { createCustomerList(name: "Lapsed big spenders", filter: $filter) {
         id count customers(sort: [{ field: LAST_ORDER_AT, direction: DESC }]) { edges { node { name } } } } }`,
      { filter: NINETY_DAYS },
    );
    expect(created.errors).toBeUndefined();
    const list = created.data!.createCustomerList as {
      id: string;
      count: number;
      customers: { edges: { node: { name: string } }[] };
    };
    expect(list.count).toBe(2);
    expect(list.customers.edges.map((e) => e.node.name)).toEqual(['Em', 'An']);

    const split = await subgraph.query(
      admin,
      `mutation($id: ID!) { splitList(id: $id, parts: 2) { size } }`,
      { id: list.id },
    );
    expect(split.data).toEqual({ splitList: [{ size: 1 }, { size: 1 }] });

    // A view keeps the filter as JSON (the instant as a string) and gives it back.
    const view = await subgraph.query(
      admin,
      `mutation($filter: CustomerFilter) { saveMyView(input: { savedFilter: $filter }) { savedFilter } }`,
      { filter: NINETY_DAYS },
    );
    expect(view.errors).toBeUndefined();
    const saved = (view.data!.saveMyView as { savedFilter: object }).savedFilter;
    expect(await names(saved, byName)).toEqual(['An', 'Em']);

    const job = await subgraph.query(
      admin,
      `mutation($filter: CustomerFilter!) { startBulkJob(filter: $filter, action: { addTags: ["win-back"] }) { id total } }`,
      { filter: { inList: list.id } },
    );
    expect(job.errors).toBeUndefined();
    const { id, total } = job.data!.startBulkJob as { id: string; total: number };
    expect(total).toBe(2);
    for (;;) {
      const status = await subgraph.query(admin, `{ bulkJob(id: "${id}") { status } }`);
      const { status: s } = status.data!.bulkJob as { status: string };
      if (s === 'DONE') break;
      expect(['QUEUED', 'RUNNING']).toContain(s);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await names({ tags: { containsAny: ['win-back'] } }, byName)).toEqual(['An', 'Em']);
  });
});
