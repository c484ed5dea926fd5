// callStats by up to three keys (issue 17's shape: `groupBy` then `thenBy`): on seeded
// random calls and random filters, every group is what its calls say, and its count
// is what `calls(filter)` with the group's values counts. Bad keys are BAD_USER_INPUT
// naming `thenBy`; another workspace's calls are never counted.
import { randomUUID } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { filteredTotals, seededRandom, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import type { CallStatsGroup } from '../src/generated/graphql';

const ws = `cstats-${randomUUID().slice(0, 8)}`;
const as = (role: Identity['role'], workspaceId = ws): Identity => ({
  workspaceId,
  userId: role,
  role,
});
const boss = as('admin');
let subgraph: TestSubgraph;

/** Seeded: every run draws the same. */
const { random, pick } = seededRandom(41);

const KEYS: CallStatsGroup[] = ['STAFF', 'DAY', 'MONTH', 'DIRECTION', 'RESULT', 'HOTLINE'];
const RESULTS = ['ANSWERED', 'MISSED', 'BUSY', 'FAILED', 'VOICEMAIL'];

interface Seeded {
  staff: string | null;
  startedAt: string;
  direction: string;
  result: string;
  hotline: string;
  talk: number;
}
const seeded: Seeded[] = [];
const vietnamDay = (iso: string) =>
  new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10);

function valueOf(c: Seeded, key: CallStatsGroup): string | null {
  switch (key) {
    case 'STAFF':
      return c.staff;
    case 'DAY':
      return vietnamDay(c.startedAt);
    case 'MONTH':
      return vietnamDay(c.startedAt).slice(0, 7);
    case 'DIRECTION':
      return c.direction;
    case 'RESULT':
      return c.result;
    case 'HOTLINE':
      return c.hotline;
  }
}

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
  const calls = [];
  for (let i = 0; i < 200; i++) {
    const c: Seeded = {
      staff: pick(['lan', 'kim', null]),
      startedAt: new Date(
        Date.UTC(2026, 7, 1, 16, 30) +
          Math.floor(random() * 70) * 86_400_000 +
          (random() < 0.5 ? -3_600_000 : 3_600_000),
      ).toISOString(),
      direction: pick(['INBOUND', 'OUTBOUND']),
      result: pick(RESULTS),
      hotline: pick(['1900 6868', '028 3822 0000']),
      talk: 0,
    };
    c.talk = c.result === 'ANSWERED' ? 10 + Math.floor(random() * 300) : 0;
    seeded.push(c);
    calls.push({
      providerCallId: `pbx-${i}`,
      hotline: c.hotline,
      customerNumber: `09${String(20_000_000 + (i % 40))}`,
      direction: c.direction,
      result: c.result,
      startedAt: c.startedAt,
      ringDuration: 5,
      talkDuration: c.result === 'ANSWERED' ? c.talk : null,
      staff: c.staff,
    });
  }
  const body = await subgraph.query(
    boss,
    `mutation($calls: [CallInput!]!) { recordCalls(calls: $calls) { created rejected { field reason } } }`,
    { calls },
  );
  if (body.data?.recordCalls.created !== 200) throw new Error(JSON.stringify(body));
}, 60_000);
afterAll(() => subgraph?.stop());

const STATS = `query($f: CallFilter, $g: CallStatsGroup!, $then: [CallStatsGroup!]) {
  callStats(filter: $f, groupBy: $g, thenBy: $then) {
    keys { key value } staff day count answered missed answerRate talkTime } }`;

interface Filter {
  direction?: string;
  answered?: boolean;
  result?: string[];
  staff?: string;
  startedFrom?: string;
  startedTo?: string;
}

function randomFilter(): Filter | null {
  const f: Filter = {};
  const day = () => new Date(Date.UTC(2026, 7, 1) + random() * 70 * 86_400_000).toISOString();
  if (random() < 0.25) f.direction = pick(['INBOUND', 'OUTBOUND']);
  if (random() < 0.2) f.answered = random() < 0.5;
  if (random() < 0.2) f.result = RESULTS.filter(() => random() < 0.5).concat('BUSY');
  if (random() < 0.2) f.staff = pick(['lan', 'kim']);
  if (random() < 0.3) f.startedFrom = day();
  if (random() < 0.3) f.startedTo = day();
  return Object.keys(f).length > 0 ? f : null;
}

const matches = (c: Seeded, f: Filter | null) =>
  !f ||
  ((!f.direction || c.direction === f.direction) &&
    (f.answered === undefined || (c.result === 'ANSWERED') === f.answered) &&
    (!f.result || f.result.includes(c.result)) &&
    (!f.staff || c.staff === f.staff) &&
    (!f.startedFrom || c.startedAt >= f.startedFrom) &&
    (!f.startedTo || c.startedAt < f.startedTo));

/** A Vietnam day or month as instants: [start, next start). */
function vietnamRange(key: 'DAY' | 'MONTH', value: string): [string, string] {
  const [y, m, d] = (key === 'DAY' ? value : `${value}-01`).split('-').map(Number);
  const at = (month: number, day: number) =>
    new Date(Date.UTC(y, month - 1, day) - 7 * 3_600_000).toISOString();
  return key === 'DAY' ? [at(m, d), at(m, d + 1)] : [at(m, 1), at(m + 1, 1)];
}

/** calls' filter for the filter and a group's values; null when it has none (HOTLINE, no staff). */
function groupFilter(f: Filter | null, keys: { key: string; value: string | null }[]) {
  const out: Filter = { ...f };
  for (const { key, value } of keys) {
    if (value === null || key === 'HOTLINE') return null;
    if (key === 'STAFF') out.staff = value;
    if (key === 'DIRECTION') out.direction = value;
    if (key === 'RESULT') out.result = [value];
    if (key === 'DAY' || key === 'MONTH') {
      const [from, to] = vietnamRange(key, value);
      if (!out.startedFrom || out.startedFrom < from) out.startedFrom = from;
      if (!out.startedTo || out.startedTo > to) out.startedTo = to;
    }
  }
  return out;
}

/** totalCount of each filter, as the calls list counts it. */
const totalCounts = (filters: Filter[]) =>
  filteredTotals(subgraph, boss, { field: 'calls', filterType: 'CallFilter' }, filters);

describe('callStats by several keys', () => {
  it('figures each group as its calls do, and counts it as Query.calls does, on random filters', async () => {
    let checked = 0;
    for (let iteration = 0; iteration < 3 * KEYS.length; iteration++) {
      const filter = randomFilter();
      const groupBy = KEYS[iteration % KEYS.length];
      const thenBy = [...new Set(KEYS.filter((k) => k !== groupBy && random() < 0.25))].slice(0, 2);
      const body = await subgraph.query(boss, STATS, { f: filter, g: groupBy, then: thenBy });
      expect(body.errors).toBeUndefined();
      const keys = [groupBy, ...thenBy];
      const expected = new Map<string, { count: number; answered: number; talkTime: number }>();
      for (const c of seeded.filter((c) => matches(c, filter))) {
        const k = JSON.stringify(keys.map((key) => valueOf(c, key)));
        const g = expected.get(k) ?? { count: 0, answered: 0, talkTime: 0 };
        g.count += 1;
        if (c.result === 'ANSWERED') g.answered += 1;
        g.talkTime += c.talk;
        expected.set(k, g);
      }
      const groups: {
        keys: { key: string; value: string | null }[];
        staff: string | null;
        day: string | null;
        count: number;
        answered: number;
        missed: number;
        talkTime: number;
      }[] = body.data!.callStats;
      const answered = new Map(
        groups.map((g) => [
          JSON.stringify(g.keys.map((k) => k.value)),
          { count: g.count, answered: g.answered, talkTime: g.talkTime },
        ]),
      );
      expect(new Map([...answered].sort())).toEqual(new Map([...expected].sort()));
      for (const g of groups) {
        expect(g.keys.map((k) => k.key)).toEqual(keys);
        expect(g.missed).toBe(g.count - g.answered); // every seeded call has ended
        expect(g.staff).toBe(g.keys.find((k) => k.key === 'STAFF')?.value ?? null);
        expect(g.day).toBe(g.keys.find((k) => k.key === 'DAY')?.value ?? null);
      }
      const checkable = groups.filter((g) => groupFilter(filter, g.keys) !== null);
      expect(await totalCounts(checkable.map((g) => groupFilter(filter, g.keys)!))).toEqual(
        checkable.map((g) => g.count),
      );
      checked += checkable.length;
    }
    expect(checked).toBeGreaterThan(50);
  }, 60_000);

  it('refuses more than two keys after groupBy, or a key twice, naming thenBy', async () => {
    const three = await subgraph.query(boss, STATS, {
      g: 'STAFF',
      then: ['DAY', 'RESULT', 'HOTLINE'],
    });
    expect(three.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'thenBy',
      limit: 2,
      actual: 3,
    });
    const again = await subgraph.query(boss, STATS, { g: 'STAFF', then: ['STAFF'] });
    expect(again.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'thenBy[0]',
    });
    const twice = await subgraph.query(boss, STATS, { g: 'STAFF', then: ['DAY', 'DAY'] });
    expect(twice.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'thenBy[1]',
    });
  });

  it('never counts another workspace’s calls', async () => {
    const otherAdmin = as('admin', `${ws}-other`);
    const recorded = await subgraph.query(
      otherAdmin,
      `mutation($calls: [CallInput!]!) { recordCalls(calls: $calls) { created } }`,
      {
        calls: [
          {
            providerCallId: 'pbx-0', // the same id and number as one of ours
            hotline: '1800 0000',
            customerNumber: '0920000000',
            direction: 'INBOUND',
            result: 'MISSED',
            startedAt: seeded[0].startedAt,
          },
        ],
      },
    );
    expect(recorded.data!.recordCalls.created).toBe(1);
    const theirs = await subgraph.query(otherAdmin, STATS, { g: 'HOTLINE' });
    expect(theirs.data!.callStats).toMatchObject([
      { keys: [{ key: 'HOTLINE', value: '1800 0000' }], count: 1 },
    ]);
    const ours = await subgraph.query(boss, STATS, { g: 'HOTLINE' });
    const hotlines = ours.data!.callStats.map(
      (g: { keys: { value: string }[] }) => g.keys[0].value,
    );
    expect(hotlines).not.toContain('1800 0000');
    expect(ours.data!.callStats.reduce((n: number, g: { count: number }) => n + g.count, 0)).toBe(
      seeded.length,
    );
  });
});
