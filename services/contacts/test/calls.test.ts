// The Calls tab against real Postgres (issue 12): recordCalls is idempotent and names
// what it refuses, writing nothing of it; a call finds its customer by number in any
// written form, and an unknown number makes one LEAD even when calls race for it;
// Customer.calls, Query.calls and callStats filter, count and scope as docs/calls.md
// says; staff see only calls with their customers; another workspace sees nothing.
import { randomUUID } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { MERGE_PARTICIPANTS } from '../src/merge/merge.participants';

const ws = `calls-${randomUUID().slice(0, 8)}`;
const other = `${ws}-other`;
const as = (role: Identity['role'], userId: string = role, workspaceId = ws): Identity => ({
  workspaceId,
  userId,
  role,
});
const admin = as('admin');
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
});
afterAll(() => subgraph?.stop());

const RECORD = `mutation($calls: [CallInput!]!) { recordCalls(calls: $calls) {
  created updated unchanged rejected { index providerCallId field reason } } }`;
const CALL_FIELDS = `providerCallId hotline customerNumber customerNumberE164 direction result
  startedAt answeredAt endedAt ringDuration talkDuration staff note recordingUrl customer { id }`;

let seq = 0;
function call(fields: Record<string, unknown> = {}) {
  seq += 1;
  return {
    providerCallId: `pbx-${ws}-${seq}`,
    hotline: '1900 6868',
    customerNumber: '0912 000 100',
    direction: 'INBOUND',
    result: 'ANSWERED',
    startedAt: '2026-02-03T02:30:00.000Z',
    ringDuration: 10,
    talkDuration: 60,
    staff: 'lan',
    ...fields,
  };
}

async function record(calls: object[], who = admin) {
  const body = await subgraph.query(who, RECORD, { calls });
  return body;
}

async function createCustomer(input: object, who = admin): Promise<string> {
  const body = await subgraph.query(
    who,
    `mutation($input: CustomerInput!) { createCustomer(input: $input) { id } }`,
    { input },
  );
  expect(body.errors).toBeUndefined();
  return (body.data!.createCustomer as { id: string }).id;
}

/** Every customer of the workspace holding the number, with its type. */
async function holders(e164: string, workspaceId = ws) {
  return (await subgraph.db.query(
    `SELECT c.id, c.type FROM customer c JOIN customer_phone p ON p.customer_id = c.id
      WHERE c.workspace_id = $1 AND p.e164 = $2 ORDER BY c.created_at`,
    [workspaceId, e164],
  )) as { id: string; type: string }[];
}

const callsOf = async (providerCallIds: string[], workspaceId = ws) =>
  (await subgraph.db.query(
    `SELECT provider_call_id AS id, customer_id AS "customerId", note FROM customer_call
      WHERE workspace_id = $1 AND provider_call_id = ANY($2) ORDER BY provider_call_id`,
    [workspaceId, providerCallIds],
  )) as { id: string; customerId: string; note: string | null }[];

describe('recordCalls', () => {
  it('creates, then counts a repeat unchanged and a change updated', async () => {
    const first = call({ customerNumber: '0912 000 101', note: 'hỏi giá' });
    const second = call({
      customerNumber: '0912 000 101',
      result: 'MISSED',
      talkDuration: 0,
      ringDuration: 30,
      recordingUrl: null,
    });
    expect((await record([first, second])).data).toEqual({
      recordCalls: { created: 2, updated: 0, unchanged: 0, rejected: [] },
    });
    expect((await record([first, second])).data).toEqual({
      recordCalls: { created: 0, updated: 0, unchanged: 2, rejected: [] },
    });
    expect((await record([{ ...first, note: 'đã báo giá' }, second])).data).toEqual({
      recordCalls: { created: 0, updated: 1, unchanged: 1, rejected: [] },
    });
    const [customer] = await holders('+84912000101');
    expect(customer.type).toBe('LEAD');
    const read = await subgraph.query(
      admin,
      `query($id: ID!) { customer(id: $id) { calls { totalCount edges { node { ${CALL_FIELDS} } } } } }`,
      { id: customer.id },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.customer.calls).toEqual({
      totalCount: 2,
      edges: [first, second].map(() => expect.anything()),
    });
    const nodes = read.data!.customer.calls.edges.map((e: { node: unknown }) => e.node);
    // Same start: the id breaks the tie; find each by its id.
    expect(
      nodes.find((n: { providerCallId: string }) => n.providerCallId === first.providerCallId),
    ).toEqual({
      providerCallId: first.providerCallId,
      hotline: '1900 6868',
      customerNumber: '0912 000 101',
      customerNumberE164: '+84912000101',
      direction: 'INBOUND',
      result: 'ANSWERED',
      startedAt: '2026-02-03T02:30:00.000Z',
      answeredAt: '2026-02-03T02:30:10.000Z',
      endedAt: '2026-02-03T02:31:10.000Z',
      ringDuration: 10,
      talkDuration: 60,
      staff: 'lan',
      note: 'đã báo giá',
      recordingUrl: null,
      customer: { id: customer.id },
    });
    expect(
      nodes.find((n: { providerCallId: string }) => n.providerCallId === second.providerCallId),
    ).toMatchObject({ result: 'MISSED', answeredAt: null, endedAt: '2026-02-03T02:30:30.000Z' });
  });

  it('refuses more than 500 calls with BAD_USER_INPUT on calls, writing nothing', async () => {
    const calls = Array.from({ length: 501 }, () => call({ customerNumber: '0912 000 102' }));
    const body = await record(calls);
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'calls' });
    expect(await callsOf(calls.map((c) => c.providerCallId))).toEqual([]);
    expect(await holders('+84912000102')).toEqual([]);
  });

  it('rejects a bad call naming its field, writes nothing of it, and the rest', async () => {
    const good = call({ customerNumber: '0912 000 103' });
    const bad = [
      call({ customerNumber: '12345', note: 'x' }),
      call({ direction: 'SIDEWAYS' }),
      call({ result: 'HUNG_UP' }),
      call({ recordingUrl: 'http://pbx.example.vn/rec.mp3' }),
      call({ result: 'MISSED', talkDuration: 5 }),
      call({ ringDuration: -1 }),
      call({ startedAt: new Date(Date.now() + 3_600_000).toISOString() }),
      call({ hotline: 'tổng đài' }),
      call({ providerCallId: '  ' }),
      call({ staff: 'Lan Nguyễn' }),
      { ...good, note: 'the same call again' },
    ];
    const body = await record([good, ...bad]);
    expect(body.errors).toBeUndefined();
    const result = body.data!.recordCalls;
    expect(result).toMatchObject({ created: 1, updated: 0, unchanged: 0 });
    expect(
      result.rejected.map((r: { index: number; field: string }) => [r.index, r.field]),
    ).toEqual([
      [1, 'customerNumber'],
      [2, 'direction'],
      [3, 'result'],
      [4, 'recordingUrl'],
      [5, 'talkDuration'],
      [6, 'ringDuration'],
      [7, 'startedAt'],
      [8, 'hotline'],
      [9, 'providerCallId'],
      [10, 'staff'],
      [11, 'providerCallId'],
    ]);
    expect(result.rejected[0]).toEqual({
      index: 1,
      providerCallId: bad[0].providerCallId,
      field: 'customerNumber',
      reason: '"12345" is not a valid phone number',
    });
    expect(result.rejected[10].reason).toBe('is given twice in this request (also at index 0)');
    const written = await callsOf([good, ...bad].map((c) => c.providerCallId));
    expect(written).toEqual([
      { id: good.providerCallId, customerId: expect.any(String), note: null },
    ]);
  });
});

describe('matching calls to customers', () => {
  it('finds the customer with the number in any written form', async () => {
    const id = await createCustomer({ name: 'Chị Hoa', phone: '0912 000 104' });
    const forms = [
      '+84912000104',
      '84 912 000 104',
      '(0912) 000.104',
      '912000104',
      '０９１２０００１０４',
    ];
    const calls = forms.map((customerNumber) => call({ customerNumber }));
    expect((await record(calls)).data!.recordCalls).toMatchObject({ created: 5, rejected: [] });
    const written = await callsOf(calls.map((c) => c.providerCallId));
    expect(written.map((c) => c.customerId)).toEqual(forms.map(() => id));
    expect(await holders('+84912000104')).toEqual([{ id, type: 'LEAD' }]);
  });

  it('makes one LEAD for an unknown number, even when calls race for it', async () => {
    const forms = ['0912 000 105', '+84 912 000 105', '0912.000.105', '84912000105'];
    const batches = forms.map((customerNumber) => [call({ customerNumber })]);
    const answers = await Promise.all(batches.map((b) => record(b)));
    for (const answer of answers) expect(answer.data!.recordCalls.created).toBe(1);
    const customers = await holders('+84912000105');
    expect(customers).toEqual([{ id: expect.any(String), type: 'LEAD' }]);
    const written = await callsOf(batches.flat().map((c) => c.providerCallId));
    expect(written.map((c) => c.customerId)).toEqual(forms.map(() => customers[0].id));
    // Announced once, as any new customer's phone is.
    const [{ n }] = await subgraph.db.query(
      `SELECT count(*)::int AS n FROM outbox
        WHERE topic = 'contacts.customer.phones-changed' AND key = $1`,
      [customers[0].id],
    );
    expect(n).toBe(1);
  });
});

describe('lists, filters and figures', () => {
  const staffWs = `${ws}-lists`;
  const boss = as('admin', 'boss', staffWs);
  const sam = as('staff', 'sam', staffWs);
  const ids: Record<'duc' | 'mai' | 'kim', string> = { duc: '', mai: '', kim: '' };
  const numbers = { duc: '0901 200 001', mai: '0901 200 002', kim: '0901 200 003' };
  const made: ReturnType<typeof call>[] = [];

  beforeAll(async () => {
    ids.duc = await createCustomer(
      { name: 'Nguyễn Văn Đức', phone: numbers.duc, assignedStaff: 'sam' },
      boss,
    );
    ids.mai = await createCustomer(
      { name: 'Trần Thị Mai', phone: numbers.mai, assignedStaff: 'sam' },
      boss,
    );
    ids.kim = await createCustomer(
      { name: 'Lê Văn Kim', phone: numbers.kim, assignedStaff: 'kim' },
      boss,
    );
    const day = (d: number, h: number) => new Date(Date.UTC(2026, 1, d, h, 0)).toISOString();
    made.push(
      // 3 Feb in Vietnam: 02:00Z is 09:00 there.
      call({ customerNumber: numbers.duc, startedAt: day(3, 2), staff: 'sam', talkDuration: 100 }),
      call({
        customerNumber: '+84901200001',
        startedAt: day(3, 5),
        staff: 'sam',
        direction: 'OUTBOUND',
        result: 'MISSED',
        talkDuration: 0,
      }),
      // 18:00Z on 3 Feb is 01:00 on 4 Feb in Vietnam.
      call({ customerNumber: numbers.mai, startedAt: day(3, 18), staff: 'lan', talkDuration: 40 }),
      call({
        customerNumber: numbers.mai,
        startedAt: day(4, 3),
        staff: null,
        result: 'BUSY',
        talkDuration: 0,
      }),
      // Kim's customer; sam handled one of its calls.
      call({ customerNumber: numbers.kim, startedAt: day(5, 3), staff: 'sam', talkDuration: 7 }),
      call({ customerNumber: numbers.kim, startedAt: day(5, 4), staff: 'kim', talkDuration: 20 }),
    );
    const body = await record(made, boss);
    if (body.data?.recordCalls.created !== 6) throw new Error(JSON.stringify(body));
  });

  async function list(who: Identity, filter: object | null, extra = '') {
    const body = await subgraph.query(
      who,
      `query($f: CallFilter) { calls(filter: $f, first: 50) { totalCount
         edges { node { providerCallId ${extra} } } } }`,
      { f: filter },
    );
    expect(body.errors).toBeUndefined();
    return {
      total: body.data!.calls.totalCount as number,
      ids: body.data!.calls.edges.map((e: { node: { providerCallId: string } }) =>
        made.findIndex((c) => c.providerCallId === e.node.providerCallId),
      ) as number[],
    };
  }

  it('lists newest first, and pages by cursor', async () => {
    expect(await list(boss, null)).toEqual({ total: 6, ids: [5, 4, 3, 2, 1, 0] });
    const page = await subgraph.query(
      boss,
      `query($after: String) { calls(first: 4, after: $after) { edges { node { providerCallId } }
         pageInfo { hasNextPage endCursor } } }`,
      {},
    );
    const next = await subgraph.query(
      boss,
      `query($after: String) { calls(first: 4, after: $after) { edges { node { providerCallId } }
         pageInfo { hasNextPage endCursor } } }`,
      { after: page.data!.calls.pageInfo.endCursor },
    );
    expect(page.data!.calls.pageInfo.hasNextPage).toBe(true);
    expect(
      next.data!.calls.edges.map(
        (e: { node: { providerCallId: string } }) => e.node.providerCallId,
      ),
    ).toEqual([made[1].providerCallId, made[0].providerCallId]);
    expect(next.data!.calls.pageInfo.hasNextPage).toBe(false);
  });

  it.each([
    ['the customer’s name without diacritics', { customerName: 'nguyen van' }, [1, 0]],
    ['the customer’s name, any case', { customerName: 'VĂN' }, [5, 4, 1, 0]],
    ['a phone in another written form', { phone: '+84 901 200 002' }, [3, 2]],
    ['the direction', { direction: 'OUTBOUND' }, [1]],
    ['answered', { answered: true }, [5, 4, 2, 0]],
    ['missed (any result but ANSWERED)', { answered: false }, [3, 1]],
    ['results', { result: ['BUSY'] }, [3]],
    ['the staff member', { staff: 'sam' }, [4, 1, 0]],
    [
      'a time range, from inclusive, to exclusive',
      { startedFrom: '2026-02-03T05:00:00.000Z', startedTo: '2026-02-05T03:00:00.000Z' },
      [3, 2, 1],
    ],
    ['all of them at once', { customerName: 'duc', staff: 'sam', answered: true }, [0]],
  ])('filters by %s', async (_label, filter, expected) => {
    expect(await list(boss, filter)).toEqual({ total: expected.length, ids: expected });
  });

  it('refuses a phone that is not a number, naming the filter field', async () => {
    const body = await subgraph.query(boss, `{ calls(filter: { phone: "abc" }) { totalCount } }`);
    expect(body.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.phone',
    });
  });

  it('pages each customer’s tab in one request, filtered and counted', async () => {
    const body = await subgraph.query(
      boss,
      `{ customers(first: 10) { edges { node { id
          calls(filter: { answered: true }, first: 1) { totalCount
            edges { node { providerCallId } } pageInfo { hasNextPage } } } } } }`,
    );
    expect(body.errors).toBeUndefined();
    const tabs = new Map(
      body.data!.customers.edges.map((e: { node: { id: string; calls: unknown } }) => [
        e.node.id,
        e.node.calls,
      ]),
    );
    expect(tabs.get(ids.duc)).toEqual({
      totalCount: 1,
      edges: [{ node: { providerCallId: made[0].providerCallId } }],
      pageInfo: { hasNextPage: false },
    });
    expect(tabs.get(ids.kim)).toEqual({
      totalCount: 2,
      edges: [{ node: { providerCallId: made[5].providerCallId } }],
      pageInfo: { hasNextPage: true },
    });
  });

  /** The figures recounted from the calls themselves, by a key of each. */
  async function recount(
    who: Identity,
    key: (c: { staff: string | null; startedAt: string }) => string | null,
  ) {
    const body = await subgraph.query(
      who,
      `{ calls(first: 100) { edges { node { staff startedAt result talkDuration } } } }`,
    );
    const groups = new Map<
      string | null,
      { count: number; answered: number; missed: number; talkTime: number }
    >();
    for (const { node } of body.data!.calls.edges) {
      const g = groups.get(key(node)) ?? { count: 0, answered: 0, missed: 0, talkTime: 0 };
      g.count += 1;
      if (node.result === 'ANSWERED') g.answered += 1;
      else if (node.result !== null) g.missed += 1;
      g.talkTime += node.talkDuration ?? 0;
      groups.set(key(node), g);
    }
    return groups;
  }

  const STATS = `query($g: CallStatsGroup!, $f: CallFilter) { callStats(groupBy: $g, filter: $f) {
    staff day count answered missed answerRate talkTime } }`;

  it('counts per staff member and per Vietnam day, as a recount of the calls does', async () => {
    const byStaff = await subgraph.query(boss, STATS, { g: 'STAFF' });
    expect(byStaff.errors).toBeUndefined();
    expect(byStaff.data!.callStats).toEqual([
      { staff: 'kim', day: null, count: 1, answered: 1, missed: 0, answerRate: 1, talkTime: 20 },
      { staff: 'lan', day: null, count: 1, answered: 1, missed: 0, answerRate: 1, talkTime: 40 },
      {
        staff: 'sam',
        day: null,
        count: 3,
        answered: 2,
        missed: 1,
        answerRate: 2 / 3,
        talkTime: 107,
      },
      { staff: null, day: null, count: 1, answered: 0, missed: 1, answerRate: 0, talkTime: 0 },
    ]);
    const staffRecount = await recount(boss, (c) => c.staff);
    for (const row of byStaff.data!.callStats) {
      expect(staffRecount.get(row.staff)).toEqual({
        count: row.count,
        answered: row.answered,
        missed: row.missed,
        talkTime: row.talkTime,
      });
    }
    const vietnamDay = (iso: string) =>
      new Date(new Date(iso).getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
    const byDay = await subgraph.query(boss, STATS, { g: 'DAY' });
    expect(
      byDay.data!.callStats.map((r: { day: string; count: number }) => [r.day, r.count]),
    ).toEqual([
      ['2026-02-03', 2],
      ['2026-02-04', 2],
      ['2026-02-05', 2],
    ]);
    const dayRecount = await recount(boss, (c) => vietnamDay(c.startedAt));
    for (const row of byDay.data!.callStats) {
      expect(dayRecount.get(row.day)).toEqual({
        count: row.count,
        answered: row.answered,
        missed: row.missed,
        talkTime: row.talkTime,
      });
    }
    const filtered = await subgraph.query(boss, STATS, { g: 'DAY', f: { direction: 'OUTBOUND' } });
    expect(filtered.data!.callStats).toEqual([
      {
        staff: null,
        day: '2026-02-03',
        count: 1,
        answered: 0,
        missed: 1,
        answerRate: 0,
        talkTime: 0,
      },
    ]);
  });

  it('shows staff only the calls with customers assigned to them, in lists, tabs and figures', async () => {
    // Every call with sam's customers, whoever handled it; not the one sam handled for kim's.
    expect(await list(sam, null)).toEqual({ total: 4, ids: [3, 2, 1, 0] });
    expect(await list(sam, { staff: 'sam' })).toEqual({ total: 2, ids: [1, 0] });
    const tab = await subgraph.query(
      sam,
      `query($id: ID!) { customer(id: $id) { id } calls(filter: { phone: "0901200003" }) { totalCount } }`,
      { id: ids.kim },
    );
    expect(tab.data).toEqual({ customer: null, calls: { totalCount: 0 } });
    const stats = await subgraph.query(sam, STATS, { g: 'STAFF' });
    expect(stats.data!.callStats).toEqual([
      { staff: 'lan', day: null, count: 1, answered: 1, missed: 0, answerRate: 1, talkTime: 40 },
      { staff: 'sam', day: null, count: 2, answered: 1, missed: 1, answerRate: 0.5, talkTime: 100 },
      { staff: null, day: null, count: 1, answered: 0, missed: 1, answerRate: 0, talkTime: 0 },
    ]);
    // A staff member with no customers sees no calls at all.
    expect(await list(as('staff', 'nobody', staffWs), null)).toEqual({ total: 0, ids: [] });
  });

  it('gives recordCalls to admins and editors only', async () => {
    for (const role of ['staff', 'analyst', 'platform'] as const) {
      const body = await record(
        [call({ customerNumber: '0901 200 009' })],
        as(role, role, staffWs),
      );
      expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect(await holders('+84901200009', staffWs)).toEqual([]);
    const editor = await record(
      [call({ customerNumber: '0901 200 009' })],
      as('editor', 'ed', staffWs),
    );
    expect(editor.data!.recordCalls.created).toBe(1);
  });
});

describe('workspaces', () => {
  it('never reaches another workspace’s calls or customers, even with the same ids and number', async () => {
    const shared = call({ customerNumber: '0912 000 106', note: 'A' });
    expect((await record([shared])).data!.recordCalls.created).toBe(1);
    const intruder = as('admin', 'boss', other);
    const theirs = await record([{ ...shared, note: 'B' }], intruder);
    expect(theirs.data!.recordCalls).toMatchObject({ created: 1, updated: 0 });
    expect(await callsOf([shared.providerCallId])).toEqual([
      { id: shared.providerCallId, customerId: expect.any(String), note: 'A' },
    ]);
    const [mine] = await holders('+84912000106');
    const [their] = await holders('+84912000106', other);
    expect(mine.id).not.toBe(their.id);
    const seen = await subgraph.query(
      intruder,
      `query($id: ID!) { customer(id: $id) { calls { totalCount } }
         calls(filter: { phone: "0912000106" }) { edges { node { note } } } }`,
      { id: mine.id },
    );
    expect(seen.data).toEqual({ customer: null, calls: { edges: [{ node: { note: 'B' } }] } });
  });
});

describe('merge helpers', () => {
  it('move the merged customers’ calls to the survivor and count calls per customer', async () => {
    const a = await createCustomer({ name: 'Gộp A', phone: '0912 000 107' });
    const b = await createCustomer({ name: 'Gộp B', phone: '0912 000 108' });
    const calls = [
      call({ customerNumber: '0912 000 107' }),
      call({ customerNumber: '0912 000 108' }),
      call({ customerNumber: '0912 000 108' }),
    ];
    await record(calls);
    const none = randomUUID();
    const merging = MERGE_PARTICIPANTS.find((p) => p.name === 'calls')!;
    const moved = await subgraph.db.transaction(async (tx) => {
      expect(await merging.count(tx, ws, [a, b, none])).toEqual(
        new Map([
          [a, 1],
          [b, 2],
        ]),
      );
      // Another workspace's id moves nothing.
      expect(await merging.move(tx, other, a, [b])).toBe(0);
      return merging.move(tx, ws, a, [b, a]);
    });
    expect(moved).toBe(2);
    const written = await callsOf(calls.map((c) => c.providerCallId));
    expect(written.map((c) => c.customerId)).toEqual([a, a, a]);
    // Recording a moved call again keeps it with the survivor (its number is the same).
    expect((await record([calls[1]])).data!.recordCalls.unchanged).toBe(1);
    expect((await callsOf([calls[1].providerCallId]))[0].customerId).toBe(a);
  });
});

describe('the demo seed', () => {
  it('gives the first demo customers a few calls, once however often it runs', async () => {
    const demo = `${ws}-demo`;
    await subgraph.db.query('INSERT INTO workspace (id) VALUES ($1)', [demo]);
    await contactsSubgraph.seedDemo!(subgraph.db, demo);
    await contactsSubgraph.seedDemo!(subgraph.db, demo);
    const body = await subgraph.query(
      as('admin', 'boss', demo),
      `{ calls { totalCount edges { node { customer { name } talkDuration } } } }`,
    );
    expect(body.data!.calls).toEqual({
      totalCount: 3,
      edges: [
        { node: { customer: { name: 'Trần Thị Mai' }, talkDuration: 62 } },
        { node: { customer: { name: 'Nguyễn Văn Đức' }, talkDuration: 0 } },
        { node: { customer: { name: 'Nguyễn Văn Đức' }, talkDuration: 185 } },
      ],
    });
  });
});
