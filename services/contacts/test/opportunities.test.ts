// The Opportunities tab ("Cơ hội KD", issue 12) on real Postgres: create, patch and
// move with the stage history, the workspace's stage order, the pipeline summary
// against a recount, who sees and changes what, bad input and workspaces apart.
import { randomUUID } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { GraphQLBody, TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { MERGE_PARTICIPANTS } from '../src/merge/merge.participants';

const ws = `opps-${randomUUID().slice(0, 8)}`;
const as = (role: Identity['role'], userId: string, workspaceId = ws): Identity => ({
  workspaceId,
  userId,
  role,
});
const admin = as('admin', 'boss');
const sam = as('staff', 'sam');
const kim = as('staff', 'kim');
const stranger = as('admin', 'boss', `${ws}-other`);

const OPP = `id name value stage expectedCloseDate owner note closedAt createdBy
  customer { id } stageHistory { stage by at }`;

let subgraph: TestSubgraph;
const customer = { sam: '', kim: '' };

async function newCustomer(who: Identity, assignedStaff: string | null = null): Promise<string> {
  const body = await subgraph.query(
    who,
    `mutation($input: CustomerInput!) { createCustomer(input: $input) { id } }`,
    { input: { name: 'Khách', assignedStaff } },
  );
  return ok(body).createCustomer.id;
}

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
  customer.sam = await newCustomer(admin, 'sam');
  customer.kim = await newCustomer(admin, 'kim');
});
afterAll(() => subgraph?.stop());

function ok(body: GraphQLBody) {
  expect(body.errors).toBeUndefined();
  return body.data!;
}

function refusal(body: GraphQLBody) {
  expect(body.errors).toHaveLength(1);
  const [error] = body.errors!;
  return { code: error.extensions?.code, field: error.extensions?.field };
}

function create(who: Identity, input: object) {
  return subgraph.query(
    who,
    `mutation($input: OpportunityInput!) { createOpportunity(input: $input) { ${OPP} } }`,
    { input },
  );
}
const newOpp = async (who: Identity, input: object) =>
  ok(await create(who, input)).createOpportunity;

function update(who: Identity, id: string, input: object) {
  return subgraph.query(
    who,
    `mutation($id: ID!, $input: OpportunityPatch!) { updateOpportunity(id: $id, input: $input) { ${OPP} } }`,
    { id, input },
  );
}

function move(who: Identity, id: string, stage: string) {
  return subgraph.query(
    who,
    `mutation($id: ID!, $stage: OpportunityStage!) { moveOpportunity(id: $id, stage: $stage) { ${OPP} } }`,
    { id, stage },
  );
}

async function row(id: string) {
  const [r] = await subgraph.db.query('SELECT * FROM opportunity WHERE id = $1', [id]);
  return r;
}

async function names(who: Identity, filter: object) {
  const data = ok(
    await subgraph.query(
      who,
      `query($filter: OpportunityFilter) { opportunities(filter: $filter, first: 100) {
        totalCount edges { node { name } } } }`,
      { filter },
    ),
  );
  const list = data.opportunities.edges.map((e: { node: { name: string } }) => e.node.name);
  expect(data.opportunities.totalCount).toBe(list.length);
  return list.sort();
}

describe('creating, changing and moving', () => {
  it('creates in the first stage, owned by the caller, the stage recorded', async () => {
    const o = await newOpp(admin, { name: ' Máy lọc nước ', customerId: customer.sam });
    expect(o).toEqual({
      id: expect.any(String),
      name: 'Máy lọc nước',
      value: 0,
      stage: 'DISCOVERY',
      expectedCloseDate: null,
      owner: 'boss',
      note: null,
      closedAt: null,
      createdBy: 'boss',
      customer: { id: customer.sam },
      stageHistory: [{ stage: 'DISCOVERY', by: 'boss', at: expect.any(String) }],
    });
    const won = await newOpp(admin, {
      name: 'Đã chốt sẵn',
      customerId: customer.sam,
      stage: 'WON',
      value: 9_000_000_000,
      owner: null,
    });
    expect(won).toMatchObject({ stage: 'WON', value: 9_000_000_000, owner: null });
    expect(won.closedAt).not.toBeNull();
  });

  it('patches: left out stays, null clears, name/value/customer cannot be cleared', async () => {
    const o = await newOpp(admin, {
      name: 'Gói VIP',
      value: 2_000_000,
      customerId: customer.sam,
      expectedCloseDate: '2026-06-30',
      note: 'tháng 6',
      owner: 'sam',
    });
    const changed = ok(
      await update(admin, o.id, { note: null, value: 2_500_000 }),
    ).updateOpportunity;
    expect(changed).toEqual({ ...o, note: null, value: 2_500_000 });
    const cleared = ok(
      await update(admin, o.id, { owner: null, expectedCloseDate: null }),
    ).updateOpportunity;
    expect(cleared).toMatchObject({ owner: null, expectedCloseDate: null, name: 'Gói VIP' });
    for (const [input, field] of [
      [{ name: null, note: 'mất' }, 'input.name'],
      [{ name: '  ' }, 'input.name'],
      [{ name: 'x'.repeat(501) }, 'input.name'],
      [{ value: null }, 'input.value'],
      [{ value: -1, note: 'mất' }, 'input.value'],
      [{ customerId: null }, 'input.customerId'],
      [{ customerId: 'nope' }, 'input.customerId'],
      [{ note: 'x'.repeat(5001) }, 'input.note'],
      [{ owner: 'a b' }, 'input.owner'],
    ] as [object, string][]) {
      expect(refusal(await update(admin, o.id, input))).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    expect(await row(o.id)).toMatchObject({ name: 'Gói VIP', value: '2500000', note: null });
    expect(refusal(await update(admin, o.id, { customerId: randomUUID() }))).toEqual({
      code: 'NOT_FOUND',
      field: 'input.customerId',
    });
    expect(refusal(await update(admin, randomUUID(), { name: 'x' }))).toEqual({
      code: 'NOT_FOUND',
      field: 'id',
    });
    expect(refusal(await move(admin, 'nope', 'WON'))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'id',
    });
  });

  it('records each stage entered, with when and by whom; WON and LOST are terminal', async () => {
    const o = await newOpp(admin, { name: 'Đàm phán', customerId: customer.sam, owner: 'sam' });
    const path = ['QUOTE', 'NEGOTIATION', 'QUOTE', 'QUOTE', 'NEGOTIATION', 'WON'];
    let last = o;
    for (const stage of path) last = ok(await move(sam, o.id, stage)).moveOpportunity;
    expect(last.stageHistory.map((c: { stage: string; by: string }) => [c.stage, c.by])).toEqual([
      ['DISCOVERY', 'boss'],
      ['QUOTE', 'sam'],
      ['NEGOTIATION', 'sam'],
      ['QUOTE', 'sam'],
      // QUOTE again was no change.
      ['NEGOTIATION', 'sam'],
      ['WON', 'sam'],
    ]);
    const times = last.stageHistory.map((c: { at: string }) => Date.parse(c.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(last.closedAt).toBe(last.stageHistory[5].at);
    expect(refusal(await move(sam, o.id, 'LOST'))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'stage',
    });
    expect(refusal(await move(sam, o.id, 'DISCOVERY'))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'stage',
    });
    // WON again is no change, and nothing was recorded by the refusals.
    expect(ok(await move(sam, o.id, 'WON')).moveOpportunity.stageHistory).toHaveLength(6);
    const lost = await newOpp(admin, { name: 'Mất', customerId: customer.sam });
    const moved = ok(await move(admin, lost.id, 'LOST')).moveOpportunity;
    expect(moved).toMatchObject({ stage: 'LOST', closedAt: expect.any(String) });
  });
});

describe('bad input and NOT_FOUND on create', () => {
  it('names the field and writes nothing', async () => {
    const count = async () =>
      (
        await subgraph.db.query(
          'SELECT (SELECT count(*) FROM opportunity WHERE workspace_id = $1)::int + (SELECT count(*) FROM opportunity_stage_change WHERE workspace_id = $1)::int AS n',
          [ws],
        )
      )[0].n;
    const before = await count();
    const base = { name: 'ok', customerId: customer.sam };
    for (const [input, code, field] of [
      [{ ...base, name: '' }, 'BAD_USER_INPUT', 'input.name'],
      [{ ...base, value: -100 }, 'BAD_USER_INPUT', 'input.value'],
      [{ ...base, customerId: 'x' }, 'BAD_USER_INPUT', 'input.customerId'],
      [{ ...base, customerId: randomUUID() }, 'NOT_FOUND', 'input.customerId'],
    ] as [object, string, string][]) {
      expect(refusal(await create(admin, input))).toEqual({ code, field });
    }
    for (const [filter, field] of [
      [{ valueMin: 10, valueMax: 5 }, 'filter.valueMax'],
      [{ valueMin: -1 }, 'filter.valueMin'],
      [
        { expectedCloseFrom: '2026-02-01', expectedCloseTo: '2026-01-01' },
        'filter.expectedCloseTo',
      ],
      [{ owner: '' }, 'filter.owner'],
    ] as [object, string][]) {
      const body = await subgraph.query(
        admin,
        'query($f: OpportunityFilter) { opportunities(filter: $f) { totalCount } }',
        { f: filter },
      );
      expect(refusal(body)).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    const period = await subgraph.query(
      admin,
      '{ pipelineSummary(wonFrom: "2026-02-01T00:00:00Z", wonTo: "2026-01-01T00:00:00Z") { wonCount } }',
    );
    expect(refusal(period)).toEqual({ code: 'BAD_USER_INPUT', field: 'wonTo' });
    expect(await count()).toBe(before);
  });
});

describe('filters', () => {
  it('filters by stage, owner, customer, expected close and value ranges', async () => {
    const c = await newCustomer(admin);
    for (const [name, stage, owner, expectedCloseDate, value] of [
      ['f-a', 'DISCOVERY', 'lee', '2026-05-01', 100],
      ['f-b', 'QUOTE', 'lee', '2026-05-31', 200],
      ['f-c', 'QUOTE', 'mo', '2026-06-01', 300],
      ['f-d', 'NEGOTIATION', 'mo', null, 400],
    ] as [string, string, string, string | null, number][]) {
      await newOpp(admin, { name, stage, owner, expectedCloseDate, value, customerId: c });
    }
    const f = (filter: object) => names(admin, { customerId: c, ...filter });
    expect(await f({})).toEqual(['f-a', 'f-b', 'f-c', 'f-d']);
    expect(await f({ stage: ['QUOTE', 'NEGOTIATION'] })).toEqual(['f-b', 'f-c', 'f-d']);
    expect(await f({ owner: 'lee' })).toEqual(['f-a', 'f-b']);
    expect(await f({ expectedCloseFrom: '2026-05-01', expectedCloseTo: '2026-05-31' })).toEqual([
      'f-a',
      'f-b',
    ]);
    expect(await f({ expectedCloseFrom: '2026-05-02' })).toEqual(['f-b', 'f-c']);
    expect(await f({ valueMin: 200, valueMax: 300 })).toEqual(['f-b', 'f-c']);
    expect(await names(admin, { customerId: randomUUID() })).toEqual([]);
    // The tab, for a page of customers at once, with its count.
    const tab = ok(
      await subgraph.query(
        admin,
        `query($ids: [ID!]) { customers(filter: { id: { in: $ids } }) { edges { node { id
          opportunities(first: 2) { totalCount edges { node { name } } pageInfo { hasNextPage } }
        } } } }`,
        { ids: [c, customer.kim] },
      ),
    ).customers.edges;
    const byId = new Map(tab.map((e: { node: { id: string } }) => [e.node.id, e.node]));
    expect(byId.get(c)).toMatchObject({
      opportunities: {
        totalCount: 4,
        edges: [{ node: { name: 'f-d' } }, { node: { name: 'f-c' } }],
        pageInfo: { hasNextPage: true },
      },
    });
    expect(byId.get(customer.kim)).toMatchObject({ opportunities: { totalCount: 0, edges: [] } });
  });
});

describe('the stage order', () => {
  const other = as('admin', 'root', `${ws}-order`);
  const ORDER = '{ opportunityStages }';

  it('is the workspace’s: admins set it, everyone reads it, WON and LOST stay last', async () => {
    expect(ok(await subgraph.query(other, ORDER)).opportunityStages).toEqual([
      'DISCOVERY',
      'QUOTE',
      'NEGOTIATION',
      'WON',
      'LOST',
    ]);
    const set = (who: Identity, stages: string[]) =>
      subgraph.query(
        who,
        'mutation($s: [OpportunityStage!]!) { setOpportunityStageOrder(stages: $s) }',
        { s: stages },
      );
    for (const stages of [
      ['QUOTE', 'DISCOVERY', 'WON', 'NEGOTIATION', 'LOST'],
      ['QUOTE', 'DISCOVERY', 'NEGOTIATION', 'LOST'],
      ['QUOTE', 'QUOTE', 'DISCOVERY', 'NEGOTIATION', 'WON', 'LOST'],
      ['QUOTE', 'QUOTE', 'NEGOTIATION', 'WON', 'LOST'],
    ]) {
      expect(refusal(await set(other, stages))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'stages',
      });
    }
    const custom = ['NEGOTIATION', 'QUOTE', 'DISCOVERY', 'LOST', 'WON'];
    expect(refusal(await set(as('editor', 'ed', other.workspaceId), custom)).code).toBe(
      'FORBIDDEN',
    );
    expect(ok(await set(other, custom)).setOpportunityStageOrder).toEqual(custom);
    const staff = as('staff', 'sam', other.workspaceId);
    expect(ok(await subgraph.query(staff, ORDER)).opportunityStages).toEqual(custom);
    expect(ok(await subgraph.query(admin, ORDER)).opportunityStages[0]).toBe('DISCOVERY');

    // New opportunities start in the first stage; the summary follows the order.
    const c = await newCustomer(other);
    const o = await newOpp(other, { name: 'x', customerId: c, value: 7 });
    expect(o.stage).toBe('NEGOTIATION');
    const summary = ok(
      await subgraph.query(other, '{ pipelineSummary { stages { stage count value } } }'),
    ).pipelineSummary.stages;
    expect(summary).toEqual([
      { stage: 'NEGOTIATION', count: 1, value: 7 },
      { stage: 'QUOTE', count: 0, value: 0 },
      { stage: 'DISCOVERY', count: 0, value: 0 },
      { stage: 'LOST', count: 0, value: 0 },
      { stage: 'WON', count: 0, value: 0 },
    ]);
  });
});

describe('the pipeline summary', () => {
  const pipe = as('admin', 'root', `${ws}-pipe`);
  const STAGES = ['DISCOVERY', 'QUOTE', 'NEGOTIATION', 'WON', 'LOST'];

  it('equals a recount of the rows, for every caller, filter and period', async () => {
    const customers = [
      await newCustomer(pipe, 'sam'),
      await newCustomer(pipe, 'kim'),
      await newCustomer(pipe),
    ];
    // A fixed pseudo-random spread: stages, values, owners, customers, won times.
    let seed = 7;
    const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let i = 0; i < 60; i++) {
      const o = await newOpp(pipe, {
        name: `p${i}`,
        customerId: customers[next(3)],
        stage: STAGES[next(5)],
        value: next(50) * 1_000_000 + next(1000),
        owner: ['sam', 'kim', 'lee', null][next(4)],
      });
      if (o.stage === 'WON') {
        await subgraph.db.query(
          `UPDATE opportunity SET closed_at = '2026-01-01T00:00:00Z'::timestamptz + make_interval(days => $2)
            WHERE id = $1`,
          [o.id, next(90)],
        );
      }
    }
    const rows: {
      stage: string;
      value: string;
      owner: string | null;
      closed_at: Date | null;
      assigned_staff: string | null;
    }[] = await subgraph.db.query(
      `SELECT o.stage, o.value, o.owner, o.closed_at, c.assigned_staff FROM opportunity o
         JOIN customer c ON c.workspace_id = o.workspace_id AND c.id = o.customer_id
        WHERE o.workspace_id = $1`,
      [pipe.workspaceId],
    );
    const from = new Date('2026-01-20T00:00:00Z');
    const to = new Date('2026-02-20T00:00:00Z');
    const recount = (keep: (r: (typeof rows)[number]) => boolean) => {
      const mine = rows.filter(keep);
      const sum = (list: typeof rows) => list.reduce((s, r) => s + Number(r.value), 0);
      const won = mine.filter(
        (r) => r.stage === 'WON' && r.closed_at! >= from && r.closed_at! < to,
      );
      return {
        stages: STAGES.map((stage) => {
          const inStage = mine.filter((r) => r.stage === stage);
          return { stage, count: inStage.length, value: sum(inStage) };
        }),
        wonCount: won.length,
        wonValue: sum(won),
      };
    };
    const summary = async (who: Identity, filter: object = {}) =>
      ok(
        await subgraph.query(
          who,
          `query($f: OpportunityFilter, $from: DateTime, $to: DateTime) {
            pipelineSummary(filter: $f, wonFrom: $from, wonTo: $to) {
              stages { stage count value } wonCount wonValue } }`,
          { f: filter, from: from.toISOString(), to: to.toISOString() },
        ),
      ).pipelineSummary;
    const all = recount(() => true);
    expect(all.wonCount).toBeGreaterThan(0);
    expect(await summary(pipe)).toEqual(all);
    expect(await summary(as('analyst', 'ana', pipe.workspaceId))).toEqual(all);
    const staffSam = as('staff', 'sam', pipe.workspaceId);
    expect(await summary(staffSam)).toEqual(
      recount((r) => r.assigned_staff === 'sam' || r.owner === 'sam'),
    );
    expect(await summary(pipe, { owner: 'lee', valueMin: 10_000_000 })).toEqual(
      recount((r) => r.owner === 'lee' && Number(r.value) >= 10_000_000),
    );
    // No period: everything won.
    const open = ok(
      await subgraph.query(pipe, '{ pipelineSummary { wonCount wonValue } }'),
    ).pipelineSummary;
    expect(open.wonCount).toBe(all.stages[3].count);
    expect(open.wonValue).toBe(all.stages[3].value);
  });
});

describe('who sees and changes what', () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    for (const [name, customerId, owner] of [
      ['v-sam-own', customer.sam, 'sam'],
      ['v-sam-customer-kim-owns', customer.sam, 'kim'],
      ['v-kim-customer-sam-owns', customer.kim, 'sam'],
      ['v-kim-own', customer.kim, 'kim'],
    ]) {
      ids[name] = (await newOpp(admin, { name, customerId, owner })).id;
    }
  });
  const visible = async (who: Identity) =>
    (await names(who, {})).filter((n: string) => n.startsWith('v-'));

  it('shows staff their customers’ opportunities and the ones they own, nothing of the rest', async () => {
    expect(await visible(sam)).toEqual([
      'v-kim-customer-sam-owns',
      'v-sam-customer-kim-owns',
      'v-sam-own',
    ]);
    expect(await visible(kim)).toEqual([
      'v-kim-customer-sam-owns',
      'v-kim-own',
      'v-sam-customer-kim-owns',
    ]);
    expect(await visible(as('staff', 'nobody'))).toEqual([]);
    const data = ok(
      await subgraph.query(
        sam,
        `query($id: ID!) { opportunities(filter: { customerId: $id }) { edges { node { name customer { id } } } } }`,
        { id: customer.kim },
      ),
    );
    expect(data.opportunities.edges).toEqual([
      { node: { name: 'v-kim-customer-sam-owns', customer: null } },
    ]);
  });

  it('lets an owner edit and move, not give away or move to another customer', async () => {
    const id = ids['v-kim-customer-sam-owns'];
    expect(ok(await update(sam, id, { note: 'đã gửi' })).updateOpportunity.note).toBe('đã gửi');
    expect(ok(await move(sam, id, 'QUOTE')).moveOpportunity.stage).toBe('QUOTE');
    expect(refusal(await update(sam, id, { owner: 'lee' }))).toEqual({
      code: 'FORBIDDEN',
      field: 'input.owner',
    });
    expect(refusal(await update(sam, id, { customerId: customer.sam }))).toEqual({
      code: 'FORBIDDEN',
      field: 'input.customerId',
    });
    for (const body of [
      await update(sam, ids['v-kim-own'], { note: 'x' }),
      await move(sam, ids['v-kim-own'], 'WON'),
    ]) {
      expect(refusal(body)).toEqual({ code: 'NOT_FOUND', field: 'id' });
    }
    expect(refusal(await create(sam, { name: 'x', customerId: customer.kim }))).toEqual({
      code: 'NOT_FOUND',
      field: 'input.customerId',
    });
    // Their own customer's: everything, giving it to a colleague too.
    ok(await update(sam, ids['v-sam-own'], { owner: 'kim' }));
    expect(await row(ids['v-kim-own'])).toMatchObject({ note: null, stage: 'DISCOVERY' });
    const analyst = as('analyst', 'ana');
    expect(refusal(await move(analyst, ids['v-sam-own'], 'WON')).code).toBe('FORBIDDEN');
  });
});

describe('workspaces apart', () => {
  it('never shows, counts or changes another workspace’s opportunities', async () => {
    const o = await newOpp(admin, { name: 'Riêng', customerId: customer.sam, value: 5 });
    const theirs = ok(
      await subgraph.query(
        stranger,
        '{ opportunities { totalCount } pipelineSummary { stages { count } wonCount } }',
      ),
    );
    expect(theirs.opportunities.totalCount).toBe(0);
    expect(theirs.pipelineSummary.stages.every((s: { count: number }) => s.count === 0)).toBe(true);
    expect(refusal(await update(stranger, o.id, { name: 'x' }))).toEqual({
      code: 'NOT_FOUND',
      field: 'id',
    });
    expect(refusal(await move(stranger, o.id, 'WON'))).toEqual({ code: 'NOT_FOUND', field: 'id' });
    expect(refusal(await create(stranger, { name: 'x', customerId: customer.sam }))).toEqual({
      code: 'NOT_FOUND',
      field: 'input.customerId',
    });
    expect(await row(o.id)).toMatchObject({ name: 'Riêng', stage: 'DISCOVERY' });
  });
});

describe('for merging customers', () => {
  it('counts opportunities per customer and moves the merged ones’ to the survivor', async () => {
    const [survivor, merged] = [await newCustomer(admin), await newCustomer(admin)];
    const o = await newOpp(admin, { name: 'm', customerId: merged });
    await newOpp(admin, { name: 'n', customerId: survivor });
    const opportunities = MERGE_PARTICIPANTS.find((p) => p.name === 'opportunities')!;
    const moved = await subgraph.db.transaction(async (tx) => {
      expect(await opportunities.count(tx, ws, [survivor, merged])).toEqual(
        new Map([
          [survivor, 1],
          [merged, 1],
        ]),
      );
      return opportunities.move(tx, ws, survivor, [merged]);
    });
    expect(moved).toBe(1);
    const after = ok(
      await subgraph.query(
        admin,
        `query($id: ID!) { customer(id: $id) { opportunities { totalCount } } }`,
        { id: survivor },
      ),
    );
    expect(after.customer.opportunities.totalCount).toBe(2);
    expect((await row(o.id)).customer_id).toBe(survivor);
  });
});
