// orderStats against real Postgres (issue 17): on seeded random orders and random
// filters, every group is what the orders say — count, sales (neither cancelled nor
// returned, as Customer.orderSummary counts), revenue, average order value — and each
// group's count and sales count are what `orders(filter)` with the group's values
// counts. A token of one workspace never counts another's orders; staff get no figures,
// and the statement scopes them all the same; bad input is BAD_USER_INPUT naming it.
import { randomUUID } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { filteredTotals, seededRandom, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { ordersLoyaltySubgraph } from '../src';
import { orderStats } from '../src/analytics/order-stats';
import { NOT_COUNTED } from '../src/orders/order.summary';
import type { OrderStatsKey } from '../src/generated/graphql';

const ws = `ostats-${randomUUID().slice(0, 8)}`;
const other = `${ws}-other`;
const as = (role: Identity['role'], workspaceId = ws, userId: string = role): Identity => ({
  workspaceId,
  userId,
  role,
});
const analyst = as('analyst');
let subgraph: TestSubgraph;

/** Seeded: every run draws the same. */
const { random, pick, some } = seededRandom(23);

const KEYS: OrderStatsKey[] = ['SOURCE', 'STATUS', 'DAY', 'MONTH', 'ASSIGNED_STAFF', 'TIER'];
const SOURCES = ['SHOPEE', 'LAZADA', 'TIKTOK_SHOP', 'WEBSITE', 'FACEBOOK', 'ZALO', 'POS', 'OTHER'];
const STATUSES = [
  'PENDING',
  'CONFIRMED',
  'SHIPPING',
  'DELIVERED',
  'COMPLETED',
  'CANCELLED',
  'RETURNED',
];
const customers = Array.from({ length: 12 }, () => ({
  id: randomUUID(),
  staff: pick(['sam', 'kim', null]),
  tier: pick([null, 'Bạc', 'Vàng']),
}));

interface Seeded {
  code: string;
  source: string;
  status: string;
  orderedAt: Date;
  total: number;
  customerId: string | null;
}
const seeded: Seeded[] = [];
const vietnamDay = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

function valueOf(o: Seeded, key: OrderStatsKey): string | null {
  const customer = customers.find((c) => c.id === o.customerId);
  switch (key) {
    case 'SOURCE':
      return o.source;
    case 'STATUS':
      return o.status;
    case 'DAY':
      return vietnamDay(o.orderedAt);
    case 'MONTH':
      return vietnamDay(o.orderedAt).slice(0, 7);
    case 'ASSIGNED_STAFF':
      return customer?.staff ?? null;
    case 'TIER':
      return customer?.tier ?? null;
  }
}

function orderInput(n: number, o: Omit<Seeded, 'code'>) {
  const shippingFee = 20_000;
  const subtotal = o.total - shippingFee;
  return {
    source: o.source,
    code: `S-${n}`,
    status: o.status,
    customerId: o.customerId,
    buyerName: `Người mua ${n}`,
    shippingFee,
    items: [{ productName: 'Áo', quantity: 1, unitPrice: subtotal, discount: 0 }],
    subtotal,
    total: o.total,
    orderedAt: o.orderedAt.toISOString(),
    updatedAt: o.orderedAt.toISOString(),
  };
}

async function upsert(workspaceId: string, orders: object[]) {
  const body = await subgraph.query(
    as('editor', workspaceId),
    `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created rejected { field reason } } }`,
    { o: orders },
  );
  expect(body.errors).toBeUndefined();
  expect(body.data!.upsertOrders.rejected).toEqual([]);
}

beforeAll(async () => {
  subgraph = await startTestSubgraph(ordersLoyaltySubgraph);
  const inputs = [];
  for (let n = 0; n < 300; n++) {
    const o = {
      source: pick(SOURCES),
      status: pick(STATUSES),
      // Near Vietnam's midnights, over three months.
      orderedAt: new Date(
        Date.UTC(2026, 0, 1, 16, 30) +
          Math.floor(random() * 90) * 86_400_000 +
          (random() < 0.5 ? -3_600_000 : 3_600_000),
      ),
      total: 20_000 + 1_000 * Math.floor(random() * 2_000),
      customerId: random() < 0.2 ? null : pick(customers).id,
    };
    seeded.push({ ...o, code: `S-${n}` });
    inputs.push(orderInput(n, o));
  }
  await upsert(ws, inputs);
  // What contacts' events and the loyalty ledger leave in this subgraph's projections.
  await subgraph.db.query(
    `INSERT INTO customer_access (workspace_id, customer_id, assigned_staff, deleted, occurred_at)
     SELECT $1, id, staff, false, now() FROM unnest($2::uuid[], $3::text[]) AS s(id, staff)`,
    [ws, customers.map((c) => c.id), customers.map((c) => c.staff)],
  );
  await subgraph.db.query(
    `INSERT INTO loyalty_balance (workspace_id, customer_id, tier_rank, tier_name)
     SELECT $1, id, CASE WHEN name IS NULL THEN 0 ELSE 1 + (name = 'Vàng')::int END, name
       FROM unnest($2::uuid[], $3::text[]) AS s(id, name)`,
    [ws, customers.map((c) => c.id), customers.map((c) => c.tier)],
  );
}, 60_000);
afterAll(() => subgraph?.stop());

const STATS = `query($f: OrderFilter, $g: [OrderStatsKey!]!) { orderStats(filter: $f, groupBy: $g) {
  keys { key value } count salesCount revenue averageOrderValue } }`;

interface Group {
  keys: { key: OrderStatsKey; value: string | null }[];
  count: number;
  salesCount: number;
  revenue: number;
  averageOrderValue: number;
}

interface Filter {
  status?: string[];
  source?: string[];
  orderedFrom?: string;
  orderedTo?: string;
  totalMin?: number;
  totalMax?: number;
  customerId?: string;
}

function randomFilter(): Filter | null {
  const f: Filter = {};
  if (random() < 0.3) f.status = some(STATUSES, 0.5).concat('COMPLETED');
  if (random() < 0.3) f.source = some(SOURCES, 0.5).concat('SHOPEE');
  if (random() < 0.3)
    f.orderedFrom = new Date(Date.UTC(2026, 0, 1) + random() * 60 * 86_400_000).toISOString();
  if (random() < 0.3)
    f.orderedTo = new Date(Date.UTC(2026, 1, 1) + random() * 60 * 86_400_000).toISOString();
  if (random() < 0.2) f.totalMin = 500_000;
  if (random() < 0.2) f.totalMax = 1_500_000;
  if (random() < 0.1) f.customerId = pick(customers).id;
  return Object.keys(f).length > 0 ? f : null;
}

function matches(o: Seeded, f: Filter | null): boolean {
  if (!f) return true;
  return (
    (!f.status || f.status.includes(o.status)) &&
    (!f.source || f.source.includes(o.source)) &&
    (!f.orderedFrom || o.orderedAt >= new Date(f.orderedFrom)) &&
    (!f.orderedTo || o.orderedAt < new Date(f.orderedTo)) &&
    (f.totalMin === undefined || o.total >= f.totalMin) &&
    (f.totalMax === undefined || o.total <= f.totalMax) &&
    (!f.customerId || o.customerId === f.customerId)
  );
}

/** The groups the seeded orders make, figured as the summary figures a customer. */
function expectedGroups(orders: Seeded[], groupBy: OrderStatsKey[]) {
  const groups = new Map<string, Omit<Group, 'keys'>>();
  for (const o of orders) {
    const key = JSON.stringify(groupBy.map((k) => valueOf(o, k)));
    const g = groups.get(key) ?? { count: 0, salesCount: 0, revenue: 0, averageOrderValue: 0 };
    g.count += 1;
    if (!(NOT_COUNTED as readonly string[]).includes(o.status)) {
      g.salesCount += 1;
      g.revenue += o.total;
    }
    g.averageOrderValue = g.salesCount ? Math.floor(g.revenue / g.salesCount) : 0;
    groups.set(key, g);
  }
  return groups;
}

/** A Vietnam day (`YYYY-MM-DD`) or month (`YYYY-MM`) as instants: [start, next start). */
function vietnamRange(key: 'DAY' | 'MONTH', value: string): [Date, Date] {
  const [y, m, d] = (key === 'DAY' ? value : `${value}-01`).split('-').map(Number);
  const at = (month: number, day: number) => new Date(Date.UTC(y, month - 1, day) - 7 * 3_600_000);
  return key === 'DAY' ? [at(m, d), at(m, d + 1)] : [at(m, 1), at(m + 1, 1)];
}

/** Query.orders' filter for the filter and a group's values, or null when it has none. */
function groupFilter(f: Filter | null, g: Group): Filter | null {
  const out: Filter = { ...f };
  for (const { key, value } of g.keys) {
    if (key === 'SOURCE') out.source = [value!];
    else if (key === 'STATUS') out.status = [value!];
    else if (key === 'DAY' || key === 'MONTH') {
      const [from, to] = vietnamRange(key, value!);
      if (!out.orderedFrom || new Date(out.orderedFrom) < from)
        out.orderedFrom = from.toISOString();
      if (!out.orderedTo || new Date(out.orderedTo) > to) out.orderedTo = to.toISOString();
    } else return null; // the customer's staff and tier: no filter of the list has them
  }
  return out;
}

const totalCounts = (filters: Filter[], who = analyst) =>
  filteredTotals(subgraph, who, { field: 'orders', filterType: 'OrderFilter' }, filters);

const asMap = (groups: Group[]) =>
  new Map(
    groups.map(({ keys, ...figures }) => [JSON.stringify(keys.map((k) => k.value)), figures]),
  );
const SALES = STATUSES.filter((s) => !(NOT_COUNTED as readonly string[]).includes(s));

describe('orderStats', () => {
  it('figures each group as its orders do, and counts it as Query.orders does, on random filters', async () => {
    let checked = 0;
    for (let iteration = 0; iteration < 3 * KEYS.length + 2; iteration++) {
      const filter = randomFilter();
      const lead = iteration < 3 * KEYS.length ? [KEYS[iteration % KEYS.length]] : [];
      const groupBy = [...new Set([...lead, ...(lead.length ? some(KEYS, 0.25) : [])])].slice(0, 3);
      const body = await subgraph.query(analyst, STATS, { f: filter, g: groupBy });
      expect(body.errors).toBeUndefined();
      const groups: Group[] = body.data!.orderStats;
      for (const g of groups) expect(g.keys.map((k) => k.key)).toEqual(groupBy);
      const expected = expectedGroups(
        seeded.filter((o) => matches(o, filter)),
        groupBy,
      );
      expect(new Map([...asMap(groups)].sort())).toEqual(new Map([...expected].sort()));
      const checkable = groups.filter((g) => groupFilter(filter, g) !== null);
      const filters = checkable.map((g) => groupFilter(filter, g)!);
      expect(await totalCounts(filters)).toEqual(checkable.map((g) => g.count));
      const sales = filters.map((f) => ({
        ...f,
        status: (f.status ?? STATUSES).filter((s) => SALES.includes(s)),
      }));
      expect(await totalCounts(sales)).toEqual(checkable.map((g) => g.salesCount));
      checked += checkable.length;
    }
    expect(checked).toBeGreaterThan(100);
  }, 120_000);

  it('never counts another workspace’s orders, even of the same customers', async () => {
    await upsert(
      other,
      Array.from({ length: 5 }, (_, n) =>
        orderInput(n, {
          source: 'POS',
          status: 'COMPLETED',
          orderedAt: new Date('2026-01-10T03:00:00Z'),
          total: 120_000,
          customerId: customers[0].id,
        }),
      ),
    );
    const theirs = await subgraph.query(as('analyst', other), STATS, { g: ['SOURCE', 'TIER'] });
    expect(theirs.data!.orderStats).toEqual([
      {
        keys: [
          { key: 'SOURCE', value: 'POS' },
          { key: 'TIER', value: null },
        ],
        count: 5,
        salesCount: 5,
        revenue: 600_000,
        averageOrderValue: 120_000,
      },
    ]);
    const mine = await subgraph.query(analyst, STATS, { g: [] });
    expect(mine.data!.orderStats[0].count).toBe(seeded.length);
  });

  it('gives figures to admins, editors and analysts only; the statement scopes staff all the same', async () => {
    for (const role of ['admin', 'editor', 'analyst'] as const) {
      expect((await subgraph.query(as(role), STATS, { g: ['STATUS'] })).errors).toBeUndefined();
    }
    for (const role of ['staff', 'platform'] as const) {
      const body = await subgraph.query(as(role), STATS, { g: ['STATUS'] });
      expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const scoped = await orderStats(
      subgraph.db,
      ws,
      { kind: 'assigned', staffUserId: 'sam' },
      null,
      ['ASSIGNED_STAFF', 'SOURCE'],
    );
    const sams = seeded.filter(
      (o) => customers.find((c) => c.id === o.customerId)?.staff === 'sam',
    );
    expect(sams.length).toBeGreaterThan(0);
    expect(asMap(scoped as unknown as Group[])).toEqual(
      new Map(
        [...expectedGroups(sams, ['ASSIGNED_STAFF', 'SOURCE'])].map(([k, g]) => [
          k,
          { ...g, revenue: String(g.revenue), averageOrderValue: String(g.averageOrderValue) },
        ]),
      ),
    );
    // As sam's own list counts them.
    const [listed] = await totalCounts([{}], as('staff', ws, 'sam'));
    expect(scoped.reduce((n, g) => n + g.count, 0)).toBe(listed);
  });

  it('refuses bad input, naming it', async () => {
    const four = await subgraph.query(analyst, STATS, { g: ['SOURCE', 'STATUS', 'DAY', 'TIER'] });
    expect(four.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'groupBy',
      limit: 3,
      actual: 4,
    });
    const twice = await subgraph.query(analyst, STATS, { g: ['DAY', 'DAY'] });
    expect(twice.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'groupBy[1]',
    });
    const phone = await subgraph.query(analyst, STATS, { f: { phone: 'abc' }, g: ['DAY'] });
    expect(phone.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.phone',
    });
  });
});
