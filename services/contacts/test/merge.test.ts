// contacts alone: merging duplicate customers (seed 003), on real Postgres — the dry
// run, field choices, unions, notes and external ids moved, phone_owner, the derived
// type, the events, the audit, merged ids resolving to the survivor, every refusal
// with nothing changed, and two merges sharing a customer at once.
import { randomUUID } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { MERGE_PARTICIPANTS } from '../src/merge/merge.participants';

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
});
afterAll(() => subgraph?.stop());

const newWorkspace = () => `merge-${randomUUID().slice(0, 8)}`;
const as = (workspaceId: string, role: Identity['role'] = 'editor'): Identity => ({
  workspaceId,
  userId: `${role}-1`,
  role,
});

async function gql(who: Identity, query: string, variables?: object) {
  const body = await subgraph.query(who, query, variables);
  return body;
}

async function ok(who: Identity, query: string, variables?: object) {
  const body = await gql(who, query, variables);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

async function create(who: Identity, input: object): Promise<string> {
  const data = await ok(who, 'mutation($i: CustomerInput!) { createCustomer(input: $i) { id } }', {
    i: input,
  });
  return data.createCustomer.id;
}

const note = (who: Identity, id: string, text: string) =>
  ok(who, 'mutation($id: ID!, $t: String!) { addCustomerNote(customerId: $id, text: $t) { id } }', {
    id,
    t: text,
  });

const MERGE = `mutation($s: ID!, $m: [ID!]!, $c: [MergeChoice!], $dry: Boolean) {
  mergeCustomers(survivorId: $s, mergedIds: $m, choices: $c, dryRun: $dry) {
    id dryRun mergedIds
    survivor { id name email city gender tags labels phone phones { number primary } type
      custom { key value } externalIds { source id } notes(first: 20) { edges { node { text } } } }
    mergedCustomers { id name }
    fields { field value from }
    phones { number e164 primary from }
    items { field value from }
    discarded { field value from }
    moves { part customerId count }
  } }`;

/** Everything a refused merge must leave as it was, for one workspace. */
async function state(workspaceId: string) {
  const count = async (table: string) =>
    (
      await subgraph.db.query(`SELECT count(*)::int AS n FROM ${table} WHERE workspace_id = $1`, [
        workspaceId,
      ])
    )[0].n as number;
  const rows = await subgraph.db.query(
    `SELECT id, name, email, tags, labels, custom, type, updated_at FROM customer
      WHERE workspace_id = $1 ORDER BY id`,
    [workspaceId],
  );
  return {
    rows,
    phones: await count('customer_phone'),
    owners: await count('phone_owner'),
    notes: await count('customer_note'),
    externalIds: await count('customer_external_id'),
    outbox: await count('outbox'),
    audits: await count('merge_audit'),
    merges: await count('customer_merge'),
  };
}

async function events(workspaceId: string, topic: string) {
  const rows: { key: string; value: { payload: Record<string, unknown> } }[] =
    await subgraph.db.query(
      'SELECT key, value FROM outbox WHERE workspace_id = $1 AND topic = $2 ORDER BY seq',
      [workspaceId, topic],
    );
  return rows.map((r) => ({ key: r.key, ...r.value.payload }));
}

describe('a merge of two duplicates', () => {
  const ws = newWorkspace();
  const editor = as(ws);
  let survivor: string;
  let dup: string;

  beforeAll(async () => {
    await ok(as(ws, 'platform'), 'mutation { setWorkspacePlan(plan: TRIAL) }');
    await ok(
      as(ws, 'admin'),
      `mutation { a: createCustomField(input: { key: "size", label: "Cỡ", type: NUMBER }) { key }
                  b: createCustomField(input: { key: "tier", label: "Hạng", type: TEXT }) { key } }`,
    );
    survivor = await create(editor, {
      name: 'Nguyễn Văn Đức',
      phone: '0912 000 001',
      tags: ['vip', 'hn'],
      labels: ['mới'],
      custom: { size: 40 },
      externalIds: [{ source: 'ZALO', id: 'z-1' }],
    });
    dup = await create(editor, {
      name: 'Đức Nguyễn',
      phone: '+84 912 000 002',
      otherPhones: ['0912000001'],
      email: 'duc@example.com',
      city: 'Hà Nội',
      gender: 'MALE',
      assignedStaff: 'staff-7',
      tags: ['hn', 'shopee'],
      labels: ['đã gọi'],
      custom: { size: 41, tier: 'gold' },
      externalIds: [{ source: 'SHOP', id: 'shop-9' }],
    });
    await note(editor, survivor, 'ghi chú của hồ sơ giữ lại');
    await note(editor, dup, 'ghi chú 1 của hồ sơ trùng');
    await note(editor, dup, 'ghi chú 2 của hồ sơ trùng');
    // The duplicate bought: orders-loyalty's figures, projected here.
    await subgraph.db.query(
      `UPDATE customer SET order_count = 3, total_spent = 450000, has_live_order = true,
         first_order_at = '2026-01-02', last_order_at = '2026-03-04', type = 'CUSTOMER'
       WHERE id = $1`,
      [dup],
    );
    await subgraph.db.query(
      `UPDATE customer SET order_count = 1, total_spent = 100000,
         first_order_at = '2026-02-01', last_order_at = '2026-02-01' WHERE id = $1`,
      [survivor],
    );
  });

  it('shows the result field by field in a dry run, and changes nothing', async () => {
    const before = await state(ws);
    const { mergeCustomers: dry } = await ok(editor, MERGE, {
      s: survivor,
      m: [dup],
      c: [{ field: 'name', from: dup }],
      dry: true,
    });
    expect(dry).toMatchObject({ id: null, dryRun: true, mergedIds: [dup] });
    expect(dry.survivor.name).toBe('Nguyễn Văn Đức');
    expect(dry.mergedCustomers).toEqual([{ id: dup, name: 'Đức Nguyễn' }]);
    const field = (name: string) => dry.fields.find((f: { field: string }) => f.field === name);
    expect(field('name')).toEqual({ field: 'name', value: 'Đức Nguyễn', from: dup });
    expect(field('email')).toEqual({ field: 'email', value: 'duc@example.com', from: dup });
    expect(field('address')).toEqual({ field: 'address', value: null, from: null });
    expect(field('custom.size')).toEqual({ field: 'custom.size', value: 40, from: survivor });
    expect(field('custom.tier')).toEqual({ field: 'custom.tier', value: 'gold', from: dup });
    expect(dry.discarded).toEqual([
      { field: 'name', value: 'Nguyễn Văn Đức', from: survivor },
      { field: 'custom.size', value: 41, from: dup },
    ]);
    expect(dry.phones).toEqual([
      { number: '0912 000 001', e164: '+84912000001', primary: true, from: survivor },
      { number: '+84 912 000 002', e164: '+84912000002', primary: false, from: dup },
    ]);
    expect(dry.items).toEqual([
      { field: 'tags', value: 'vip', from: survivor },
      { field: 'tags', value: 'hn', from: survivor },
      { field: 'tags', value: 'shopee', from: dup },
      { field: 'labels', value: 'mới', from: survivor },
      { field: 'labels', value: 'đã gọi', from: dup },
      { field: 'externalIds', value: 'ZALO:z-1', from: survivor },
      { field: 'externalIds', value: 'SHOP:shop-9', from: dup },
    ]);
    expect(dry.moves).toEqual([
      { part: 'notes', customerId: dup, count: 2 },
      { part: 'externalIds', customerId: dup, count: 1 },
    ]);
    expect(await state(ws)).toEqual(before);
  });

  it('merges: fields, unions, notes and ids moved, phones owned, type derived, events, audit', async () => {
    const { mergeCustomers: merged } = await ok(editor, MERGE, {
      s: survivor,
      m: [dup],
      c: [{ field: 'name', from: dup }],
    });
    expect(merged.dryRun).toBe(false);
    expect(merged.id).toEqual(expect.any(String));
    expect(merged.mergedCustomers).toEqual([]);
    const s = merged.survivor;
    expect(s).toMatchObject({
      id: survivor,
      name: 'Đức Nguyễn',
      email: 'duc@example.com',
      city: 'Hà Nội',
      gender: 'MALE',
      tags: ['vip', 'hn', 'shopee'],
      labels: ['mới', 'đã gọi'],
      phone: '0912 000 001',
      phones: [
        { number: '0912 000 001', primary: true },
        { number: '+84 912 000 002', primary: false },
      ],
      // A SHOP id (and a live order) makes a CUSTOMER.
      type: 'CUSTOMER',
      custom: [
        { key: 'size', value: 40 },
        { key: 'tier', value: 'gold' },
      ],
    });
    expect(s.externalIds).toEqual(
      expect.arrayContaining([
        { source: 'ZALO', id: 'z-1' },
        { source: 'SHOP', id: 'shop-9' },
      ]),
    );
    expect(s.notes.edges.map((e: { node: { text: string } }) => e.node.text).sort()).toEqual([
      'ghi chú 1 của hồ sơ trùng',
      'ghi chú 2 của hồ sơ trùng',
      'ghi chú của hồ sơ giữ lại',
    ]);
    // The duplicate is gone; both numbers are the survivor's in phone_owner.
    expect(await subgraph.db.query('SELECT id FROM customer WHERE id = $1', [dup])).toEqual([]);
    expect(
      await subgraph.db.query(
        'SELECT e164, customer_id FROM phone_owner WHERE workspace_id = $1 ORDER BY e164',
        [ws],
      ),
    ).toEqual([
      { e164: '+84912000001', customer_id: survivor },
      { e164: '+84912000002', customer_id: survivor },
    ]);
    const [figures] = await subgraph.db.query(
      `SELECT order_count, total_spent::int AS spent, has_live_order, first_order_at, last_order_at,
              assigned_staff FROM customer WHERE id = $1`,
      [survivor],
    );
    expect(figures).toEqual({
      order_count: 4,
      spent: 550000,
      has_live_order: true,
      first_order_at: new Date('2026-01-02'),
      last_order_at: new Date('2026-03-04'),
      assigned_staff: 'staff-7',
    });
    // One merge event, then the survivor's new numbers and its new staff member.
    expect(await events(ws, 'contacts.customer.merged')).toEqual([
      {
        key: survivor,
        mergeId: merged.id,
        survivorId: survivor,
        mergedIds: [dup],
        mergedBy: 'editor-1',
      },
    ]);
    expect((await events(ws, 'contacts.customer.phones-changed')).at(-1)).toEqual({
      key: survivor,
      customerId: survivor,
      phones: ['+84912000001', '+84912000002'],
    });
    expect((await events(ws, 'contacts.customer.assigned')).at(-1)).toEqual({
      key: survivor,
      customerId: survivor,
      assignedStaff: 'staff-7',
    });
    // The audit, for admins only.
    const audits = `query($c: ID) { mergeAudits(customerId: $c) { edges { node {
      id survivorId mergedIds mergedBy mergedAt choices merged moved } } } }`;
    const { mergeAudits } = await ok(as(ws, 'admin'), audits, { c: dup });
    expect(mergeAudits.edges).toHaveLength(1);
    expect(mergeAudits.edges[0].node).toMatchObject({
      id: merged.id,
      survivorId: survivor,
      mergedIds: [dup],
      mergedBy: 'editor-1',
      choices: [{ field: 'name', from: dup }],
      moved: { notes: 2, externalIds: 1 },
    });
    expect(mergeAudits.edges[0].node.merged[0]).toMatchObject({
      id: dup,
      name: 'Đức Nguyễn',
      email: 'duc@example.com',
      phones: [
        { number: '+84 912 000 002', e164: '+84912000002' },
        { number: '0912000001', e164: '+84912000001' },
      ],
    });
    const refused = await gql(editor, audits, { c: null });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('resolves the merged id to the survivor, in customer(id:) and _entities', async () => {
    const data = await ok(
      editor,
      `query($id: ID!, $r: [_Any!]!) { customer(id: $id) { id name }
         _entities(representations: $r) { ... on Customer { id name } } }`,
      { id: dup, r: [{ __typename: 'Customer', id: dup }] },
    );
    expect(data.customer).toEqual({ id: survivor, name: 'Đức Nguyễn' });
    expect(data._entities).toEqual([{ id: survivor, name: 'Đức Nguyễn' }]);
    // Staff see it only if the survivor is theirs.
    const mine = await ok(
      { ...as(ws, 'staff'), userId: 'staff-7' },
      '{ customer(id: "' + dup + '") { id } }',
    );
    expect(mine.customer).toEqual({ id: survivor });
    const theirs = await ok(as(ws, 'staff'), '{ customer(id: "' + dup + '") { id } }');
    expect(theirs.customer).toBeNull();
  });

  it('refuses to merge a merged customer again, as survivor or merged, with nothing changed', async () => {
    const other = await create(editor, { name: 'Khác' });
    const before = await state(ws);
    for (const [s, m, field] of [
      [other, [dup], 'mergedIds[0]'],
      [dup, [other], 'survivorId'],
    ] as const) {
      const body = await gql(editor, MERGE, { s, m });
      expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(body.errors?.[0].message).toContain('merged into');
    }
    expect(await state(ws)).toEqual(before);
  });
});

describe('refusals', () => {
  const ws = newWorkspace();
  const editor = as(ws);
  let a: string;
  let b: string;
  let elsewhere: string;

  beforeAll(async () => {
    a = await create(editor, { name: 'A', phone: '0913000001' });
    b = await create(editor, { name: 'B', phone: '0913000002' });
    await note(editor, b, 'n');
    elsewhere = await create(as(newWorkspace()), { name: 'C' });
  });

  it.each([
    ['the survivor among the merged', () => [a, [b, a]], 'BAD_USER_INPUT', 'mergedIds[1]'],
    ['an unknown id', () => [a, [randomUUID()]], 'NOT_FOUND', 'mergedIds[0]'],
    ['an unknown survivor', () => [randomUUID(), [a]], 'NOT_FOUND', 'survivorId'],
    ["another workspace's customer", () => [a, [b, elsewhere]], 'NOT_FOUND', 'mergedIds[1]'],
    ['no id to merge', () => [a, []], 'BAD_USER_INPUT', 'mergedIds'],
    ['ten ids', () => [a, Array.from({ length: 10 }, randomUUID)], 'BAD_USER_INPUT', 'mergedIds'],
    ['an id twice', () => [a, [b, b]], 'BAD_USER_INPUT', 'mergedIds[1]'],
    ['a malformed id', () => [a, ['nope']], 'BAD_USER_INPUT', 'mergedIds[0]'],
  ])('refuses %s, naming the argument, with nothing changed', async (_what, args, code, field) => {
    const [s, m] = args() as [string, string[]];
    const before = await state(ws);
    const body = await gql(editor, MERGE, { s, m });
    expect(body.data).toBeNull();
    expect(body.errors?.[0].extensions).toMatchObject({ code, field });
    expect(await state(ws)).toEqual(before);
  });

  it.each([
    ['a field that cannot be chosen', { field: 'phone', from: 'b' }, 'choices[0].field'],
    ['an unknown custom field', { field: 'custom.nope', from: 'b' }, 'choices[0].field'],
    ['a customer outside the merge', { field: 'name', from: 'x' }, 'choices[0].from'],
  ])('refuses a choice of %s', async (_what, choice, field) => {
    const from = choice.from === 'b' ? b : randomUUID();
    const before = await state(ws);
    const body = await gql(editor, MERGE, { s: a, m: [b], c: [{ ...choice, from }] });
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await state(ws)).toEqual(before);
  });

  it('refuses a result over a limit (11 phones together), with nothing changed', async () => {
    const many = await create(editor, {
      name: 'Nhiều số',
      phone: '0914000000',
      otherPhones: Array.from({ length: 9 }, (_, i) => `091400000${i + 1}`),
    });
    const before = await state(ws);
    const body = await gql(editor, MERGE, { s: a, m: [many] });
    expect(body.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'mergedIds',
      limit: 10,
      actual: 11,
    });
    expect(await state(ws)).toEqual(before);
  });

  it('lets only admins and editors merge', async () => {
    for (const role of ['staff', 'analyst'] as const) {
      const body = await gql(as(ws, role), MERGE, { s: a, m: [b] });
      expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('two merges sharing a customer at once', () => {
  it('lets one succeed and refuses the other, which changes nothing', async () => {
    const ws = newWorkspace();
    const editor = as(ws);
    const [s1, s2, shared, c] = [
      await create(editor, { name: 'S1', phone: '0915000001' }),
      await create(editor, { name: 'S2', phone: '0915000002' }),
      await create(editor, { name: 'B', phone: '0915000003' }),
      await create(editor, { name: 'C', phone: '0915000004' }),
    ];
    // Hold the shared customer's row, so both merges are in flight, waiting for it.
    const holder = subgraph.db.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query('SELECT id FROM customer WHERE id = $1 FOR UPDATE', [shared]);
      const first = gql(editor, MERGE, { s: s1, m: [shared] });
      const second = gql(editor, MERGE, { s: s2, m: [shared, c] });
      const waiting = async () =>
        (
          await holder.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          )
        )[0].n as number;
      while ((await waiting()) < 2) await new Promise((r) => setTimeout(r, 20));
      await holder.rollbackTransaction();
      const results = await Promise.all([first, second]);
      const won = results.filter((r) => !r.errors);
      const lost = results.filter((r) => r.errors);
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(lost[0].errors![0].message).toContain('merged into');
      const winner = won[0].data!.mergeCustomers.survivor.id;
      // Exactly one merge happened; the loser's customers are as they were.
      const left = await subgraph.db.query(
        'SELECT name FROM customer WHERE workspace_id = $1 ORDER BY name',
        [ws],
      );
      expect(left.map((r: { name: string }) => r.name)).toEqual(
        winner === s1 ? ['C', 'S1', 'S2'] : ['S1', 'S2'],
      );
      expect(await events(ws, 'contacts.customer.merged')).toHaveLength(1);
    } finally {
      await holder.release();
    }
  });
});

it('has a participant for every table that refers to customers', async () => {
  // Tables with a foreign key to customer lose their rows when a merged customer is
  // deleted, unless the merge moved them first.
  const rows: { table: string }[] = await subgraph.db.query(
    `SELECT DISTINCT conrelid::regclass::text AS table FROM pg_constraint
      WHERE contype = 'f' AND confrelid = 'customer'::regclass`,
  );
  const movedByTheMerge = ['customer_phone', 'phone_owner'];
  const covered = new Set([...movedByTheMerge, ...MERGE_PARTICIPANTS.flatMap((p) => p.tables)]);
  expect(rows.map((r) => r.table).filter((t) => !covered.has(t))).toEqual([]);
});
