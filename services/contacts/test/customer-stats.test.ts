// customerStats against real Postgres (issue 17): on seeded random customers and random
// filters of the list language, every group's count is what the list counts for the
// filter and the group's values (`customers(filter: { and: [filter, key filters] })
// { totalCount }`), and the groups are exactly those of the customers the list returns
// (so nothing is missing or made up, SOURCE and the multi-valued keys included). A
// token of one workspace never counts another's customers; staff get no figures, and
// the statement scopes them all the same; bad input is BAD_USER_INPUT naming its part.
import { randomUUID } from 'node:crypto';
import { CUSTOMER_TIER_CHANGED, createEvent } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import {
  applyEvents,
  filteredTotals,
  seededRandom,
  startTestSubgraph,
} from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { loyaltyTierModule } from '../src/loyalty-tier/loyalty-tier.module';
import { customerStats } from '../src/analytics/customer-stats';
import type { CustomerStatsKey } from '../src/generated/graphql';

const ws = `stats-${randomUUID().slice(0, 8)}`;
const as = (role: Identity['role'], workspaceId = ws, userId: string = role): Identity => ({
  workspaceId,
  userId,
  role,
});
const analyst = as('analyst');
let subgraph: TestSubgraph;

/** Seeded: every run draws the same. */
const { random, pick, some } = seededRandom(17);

const KEYS: CustomerStatsKey[] = [
  'TYPE',
  'CITY',
  'GENDER',
  'TAG',
  'LABEL',
  'GROUP',
  'TIER',
  'ASSIGNED_STAFF',
  'CREATED_DAY',
  'CREATED_MONTH',
  'SOURCE',
];
const CITIES = ['Hà Nội', 'Hồ Chí Minh', 'Đà Nẵng', null];
const TAGS = ['vip', 'sale', 'tet'];
const LABELS = ['da-mua', 'moi'];
const TIERS = [null, 'Bạc', 'Vàng'];
const NAMES = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Minh', null];

interface Seeded {
  id: string;
  type: string;
  city: string | null;
  gender: string | null;
  tags: string[];
  labels: string[];
  group: string | null;
  staff: string | null;
  tier: string | null;
  sources: string[];
  createdAt: Date;
}
const seeded = new Map<string, Seeded>();

const vietnamDay = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

/** The values a customer has of a key: [null] when none, several for a many-valued key. */
function valuesOf(c: Seeded, key: CustomerStatsKey): (string | null)[] {
  const many = (values: string[]) => (values.length > 0 ? values : [null]);
  switch (key) {
    case 'TYPE':
      return [c.type];
    case 'CITY':
      return [c.city];
    case 'GENDER':
      return [c.gender];
    case 'TAG':
      return many(c.tags);
    case 'LABEL':
      return many(c.labels);
    case 'GROUP':
      return [c.group];
    case 'TIER':
      return [c.tier];
    case 'ASSIGNED_STAFF':
      return [c.staff];
    case 'CREATED_DAY':
      return [vietnamDay(c.createdAt)];
    case 'CREATED_MONTH':
      return [vietnamDay(c.createdAt).slice(0, 7)];
    case 'SOURCE':
      return many(c.sources);
  }
}

/** The list's filter selecting a key's value; undefined for SOURCE, which it has not. */
function keyFilter(key: CustomerStatsKey, v: string | null): object | undefined {
  const eqOrEmpty = (field: string) =>
    v === null ? { [field]: { isEmpty: true } } : { [field]: { eq: v } };
  const tagOrEmpty = (field: string) =>
    v === null ? { [field]: { isEmpty: true } } : { [field]: { containsAny: [v] } };
  const vietnam = (from: string, to: string) => ({
    createdAt: { gte: `${from}T00:00:00+07:00`, lt: `${to}T00:00:00+07:00` },
  });
  switch (key) {
    case 'TYPE':
      return { type: { eq: v } };
    case 'CITY':
      return eqOrEmpty('city');
    case 'GENDER':
      return eqOrEmpty('gender');
    case 'TAG':
      return tagOrEmpty('tags');
    case 'LABEL':
      return tagOrEmpty('labels');
    case 'GROUP':
      return eqOrEmpty('group');
    case 'TIER':
      return eqOrEmpty('tier');
    case 'ASSIGNED_STAFF':
      return eqOrEmpty('assignedStaff');
    case 'CREATED_DAY': {
      const next = new Date(Date.parse(`${v}T00:00:00Z`) + 86_400_000).toISOString();
      return vietnam(v!, next.slice(0, 10));
    }
    case 'CREATED_MONTH': {
      const [y, m] = v!.split('-').map(Number);
      const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
      return vietnam(`${v}-01`, `${next}-01`);
    }
    case 'SOURCE':
      return undefined;
  }
}

async function createCustomer(workspaceId: string, fields: Partial<Seeded> & { n: number }) {
  const input = {
    name: pick(NAMES),
    city: fields.city,
    gender: fields.gender,
    tags: fields.tags,
    labels: fields.labels,
    group: fields.group,
    assignedStaff: fields.staff,
    phone: random() < 0.5 ? `09${String(10_000_000 + fields.n)}` : null,
    email: random() < 0.3 ? `k${fields.n}@example.vn` : null,
    externalIds: (fields.sources ?? []).map((source) => ({ source, id: `${source}-${fields.n}` })),
  };
  const body = await subgraph.query(
    as('admin', workspaceId),
    `mutation($input: CustomerInput!) { createCustomer(input: $input) { id type } }`,
    { input },
  );
  expect(body.errors).toBeUndefined();
  return body.data!.createCustomer as { id: string; type: string };
}

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
  const tiers = [];
  for (let n = 0; n < 120; n++) {
    const c = {
      city: pick(CITIES),
      gender: pick(['MALE', 'FEMALE', 'OTHER', null]),
      tags: some(TAGS, 0.4),
      labels: some(LABELS, 0.4),
      group: pick(['PRIORITY', 'RESTRICTED', null, null]),
      staff: pick(['sam', 'kim', null]),
      tier: pick(TIERS),
      sources: some(['ZALO', 'SHOP'], 0.3),
      // Around Vietnam's midnights over three months: days split where Vietnam's do.
      createdAt: new Date(
        Date.UTC(2026, 0, 1, 16, 30) +
          Math.floor(random() * 90) * 86_400_000 +
          (random() < 0.5 ? -3_600_000 : 3_600_000),
      ),
    };
    const { id, type } = await createCustomer(ws, { ...c, n });
    seeded.set(id, { ...c, id, type });
    if (c.tier) {
      const rank = TIERS.indexOf(c.tier);
      const payload = {
        customerId: id,
        version: 1,
        tierRank: rank,
        tierName: c.tier,
        qualifyingPoints: rank,
      };
      tiers.push(createEvent({ type: CUSTOMER_TIER_CHANGED, workspaceId: ws, key: id, payload }));
    }
  }
  await applyEvents(subgraph.db, loyaltyTierModule, ...tiers);
  // createdAt is the database's; the figures' days need spread-out ones.
  await subgraph.db.query(
    `UPDATE customer c SET created_at = s.at FROM unnest($2::uuid[], $3::timestamptz[]) AS s(id, at)
      WHERE c.workspace_id = $1 AND c.id = s.id`,
    [ws, [...seeded.keys()], [...seeded.values()].map((c) => c.createdAt)],
  );
}, 120_000);
afterAll(() => subgraph?.stop());

const STATS = `query($f: CustomerFilter, $g: [CustomerStatsKey!]!) {
  customerStats(filter: $f, groupBy: $g) { keys { key value } count } }`;

interface Group {
  keys: { key: string; value: string | null }[];
  count: number;
}

async function stats(who: Identity, filter: object | null, groupBy: string[]) {
  return subgraph.query(who, STATS, { f: filter, g: groupBy });
}

/** The ids the list returns for a filter (one page holds the whole workspace). */
async function listed(filter: object | null, who = analyst): Promise<string[]> {
  const body = await subgraph.query(
    who,
    `query($f: CustomerFilter) { customers(filter: $f, first: 250) { edges { node { id } } } }`,
    { f: filter },
  );
  expect(body.errors).toBeUndefined();
  return body.data!.customers.edges.map((e: { node: { id: string } }) => e.node.id);
}

/** totalCount of each filter, a few aliases per request (each is heavy work, queued). */
const totalCounts = (filters: object[]) =>
  filteredTotals(
    subgraph,
    analyst,
    { field: 'customers', filterType: 'CustomerFilter' },
    filters,
    10,
  );

/** The groups the customers of `ids` make, as the seed says they should. */
function expectedGroups(ids: string[], groupBy: CustomerStatsKey[]): Map<string, number> {
  const groups = new Map<string, number>();
  for (const id of ids) {
    let combos: (string | null)[][] = [[]];
    for (const key of groupBy) {
      combos = combos.flatMap((combo) => valuesOf(seeded.get(id)!, key).map((v) => [...combo, v]));
    }
    for (const combo of combos) {
      groups.set(JSON.stringify(combo), (groups.get(JSON.stringify(combo)) ?? 0) + 1);
    }
  }
  return groups;
}

/** A random filter of the list language, from parts the seed makes selective. */
function randomFilter(): object | null {
  const parts = [
    () => ({ city: { in: some(CITIES.filter(Boolean) as string[], 0.6).concat('Huế') } }),
    () => ({ tags: { containsAny: [pick(TAGS)] } }),
    // customerStats compares tags and labels by their hashes, the list by the values.
    () => ({ tags: { containsAll: [pick(TAGS), pick(TAGS)] } }),
    () => ({ not: { tags: { containsAny: [pick(TAGS)] } } }),
    () => ({ labels: { containsAny: [pick(LABELS)] } }),
    () => ({ not: { tags: { isEmpty: true } } }),
    () => ({ not: { type: { eq: 'VISITOR' } } }),
    () => ({ createdAt: { gte: new Date(Date.UTC(2026, 0, 1) + random() * 80 * 86_400_000) } }),
    () => ({ or: [{ gender: { eq: pick(['MALE', 'FEMALE']) } }, { group: { isEmpty: true } }] }),
    () => ({ tier: { neq: 'Vàng' } }),
    () => ({ assignedStaff: { eq: pick(['sam', 'kim']) } }),
    () => ({ labels: { isEmpty: random() < 0.5 } }),
    () => ({ name: { contains: 'nguyen' } }),
    () => ({ phone: { isNotEmpty: true } }),
  ];
  const n = Math.floor(random() * 3);
  if (n === 0) return null;
  return { and: Array.from({ length: n }, () => pick(parts)()) };
}

describe('customerStats', () => {
  it('counts each group as the list counts its filter with the group’s values, on random filters', async () => {
    let groupsChecked = 0;
    // Every key leads once (and then some), with up to two random others; some without a key.
    for (let iteration = 0; iteration < 2 * KEYS.length + 2; iteration++) {
      const filter = randomFilter();
      const lead = iteration < 2 * KEYS.length ? [KEYS[iteration % KEYS.length]] : [];
      const groupBy = [...new Set([...lead, ...(lead.length ? some(KEYS, 0.15) : [])])].slice(0, 3);
      const body = await stats(analyst, filter, groupBy);
      expect(body.errors).toBeUndefined();
      const groups: Group[] = body.data!.customerStats;
      const answered = new Map(
        groups.map((g) => [JSON.stringify(g.keys.map((k) => k.value)), g.count]),
      );
      for (const g of groups) expect(g.keys.map((k) => k.key)).toEqual(groupBy);
      // Exactly the groups of the customers the list returns, each with its count.
      const expected = expectedGroups(await listed(filter), groupBy);
      expect(new Map([...answered].sort())).toEqual(new Map([...expected].sort()));
      // Each group's count is the list's totalCount of the filter and the group's values
      // (SOURCE has no filter in the list language: checked against the list's rows above).
      const checkable = groupBy.includes('SOURCE') ? [] : groups;
      const filters = checkable.map((g) => {
        const and = [filter, ...g.keys.map((k) => keyFilter(k.key as CustomerStatsKey, k.value))];
        const parts = and.filter((f): f is object => f != null);
        return parts.length > 0 ? { and: parts } : {};
      });
      expect(await totalCounts(filters)).toEqual(checkable.map((g) => g.count));
      groupsChecked += groups.length;
    }
    expect(groupsChecked).toBeGreaterThan(50);
  }, 120_000);

  it('gives one group, the filter’s total, without a key; and orders days as days', async () => {
    const all = await stats(analyst, null, []);
    expect(all.data!.customerStats).toEqual([{ keys: [], count: seeded.size }]);
    const days = await stats(analyst, null, ['CREATED_DAY']);
    const values = days.data!.customerStats.map((g: Group) => g.keys[0].value);
    expect(values).toEqual([...values].sort());
    const byTag = await stats(analyst, null, ['TAG']);
    // A customer counts once per tag: the groups add up to the tags given out, plus the untagged.
    const tagged = [...seeded.values()].reduce((n, c) => n + Math.max(1, c.tags.length), 0);
    expect(byTag.data!.customerStats.reduce((n: number, g: Group) => n + g.count, 0)).toBe(tagged);
  });

  it('never counts another workspace’s customers', async () => {
    const other = `${ws}-other`;
    for (let n = 0; n < 5; n++) {
      await createCustomer(other, { n: 1000 + n, city: 'Cà Mau', tags: ['b-only'], staff: 'sam' });
    }
    const mine = await stats(analyst, null, ['CITY', 'TAG']);
    const values = mine.data!.customerStats.flatMap((g: Group) => g.keys.map((k) => k.value));
    expect(values).not.toContain('Cà Mau');
    expect(values).not.toContain('b-only');
    const theirs = await stats(as('analyst', other), null, ['CITY', 'ASSIGNED_STAFF']);
    expect(theirs.data!.customerStats).toEqual([
      {
        keys: [
          { key: 'CITY', value: 'Cà Mau' },
          { key: 'ASSIGNED_STAFF', value: 'sam' },
        ],
        count: 5,
      },
    ]);
  });

  it('gives figures to admins, editors and analysts only; the statement scopes staff all the same', async () => {
    for (const role of ['admin', 'editor', 'analyst'] as const) {
      expect((await stats(as(role), null, ['TYPE'])).errors).toBeUndefined();
    }
    for (const role of ['staff', 'platform'] as const) {
      const body = await stats(as(role), null, ['TYPE']);
      expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    // Were staff given figures, they would count only their own customers, as their list does.
    const sam = as('staff', ws, 'sam');
    const scoped = await customerStats(subgraph.db, { workspaceId: ws, staffUserId: 'sam' }, null, [
      'ASSIGNED_STAFF',
      'CITY',
    ]);
    const theirs = await listed(null, sam);
    expect(theirs.length).toBeGreaterThan(0);
    const expected = expectedGroups(theirs, ['ASSIGNED_STAFF', 'CITY']);
    expect(
      new Map(scoped.map((g) => [JSON.stringify(g.keys.map((k) => k.value)), g.count])),
    ).toEqual(expected);
    expect(scoped.every((g) => g.keys[0].value === 'sam')).toBe(true);
  });

  it('refuses bad input, naming it', async () => {
    const fourKeys = await stats(analyst, null, ['TYPE', 'CITY', 'TAG', 'GENDER']);
    expect(fourKeys.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'groupBy',
      limit: 3,
      actual: 4,
    });
    const twice = await stats(analyst, null, ['TYPE', 'CITY', 'TYPE']);
    expect(twice.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'groupBy[2]',
    });
    const unknownKey = await stats(analyst, null, ['COLOUR']);
    expect(unknownKey.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const badFilter = await stats(analyst, { custom: [{ key: 'nope', eq: 1 }] }, ['TYPE']);
    expect(badFilter.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.custom[0].key',
    });
  });

  it('refuses more than 1,000 groups rather than cutting the answer, and answers a narrower filter', async () => {
    const wide = `${ws}-wide`;
    await subgraph.db.query('INSERT INTO workspace (id) VALUES ($1) ON CONFLICT DO NOTHING', [
      wide,
    ]);
    await subgraph.db.query(
      `INSERT INTO customer (workspace_id, name, city, city_search, tags, labels, type, custom)
       SELECT $1, 'Khách ' || i, 'Phố ' || i, 'pho ' || i, '{}', '{}', 'VISITOR', '{}'
         FROM generate_series(1, 1001) AS i`,
      [wide],
    );
    const all = await stats(as('analyst', wide), null, ['CITY']);
    expect(all.data).toBeNull();
    expect(all.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter',
      limit: 1000,
    });
    const narrow = await stats(as('analyst', wide), { city: { startsWith: 'pho 10' } }, ['CITY']);
    expect(narrow.errors).toBeUndefined();
    // Phố 10, Phố 100 … Phố 109, Phố 1000, Phố 1001.
    expect(narrow.data!.customerStats).toHaveLength(13);
  });
});
