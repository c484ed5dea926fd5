// contacts alone, on real Postgres: the audit trail (docs/audit.md) — entries written
// in the action's transaction (a failed action leaves none), no personal value in any
// stored row, the signed request id on the entry, one entry per bulk job, merges and
// phone-group uploads, other services' entries stored once from their events,
// `auditLog` for admins only, its filters and pages, and the retention prune.
import { randomUUID } from 'node:crypto';
import {
  AuditAction,
  FOLLOWERS_AUDIT_RECORDED,
  createEvent,
  recordAudit,
} from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { auditModule } from '../src/audit/audit.module';
import { pruneAuditEntries } from '../src/audit/audit.retention';

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
});
afterAll(() => subgraph?.stop());

const newWorkspace = () => `audit-${randomUUID().slice(0, 8)}`;
const as = (workspaceId: string, role: Identity['role'], requestId?: string): Identity => ({
  workspaceId,
  userId: `${role}-1`,
  role,
  ...(requestId && { requestId }),
});

async function ok(who: Identity, query: string, variables?: object) {
  const body = await subgraph.query(who, query, variables);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

const CREATE = 'mutation($i: CustomerInput!) { createCustomer(input: $i) { id } }';
const LOG = `query($f: AuditLogFilter, $first: Int, $after: String) {
  auditLog(filter: $f, first: $first, after: $after) {
    edges { cursor node { id action actorUserId actorRole targetType targetIds at requestId service detail } }
    pageInfo { hasNextPage endCursor }
  } }`;

interface Entry {
  id: string;
  action: string;
  actorUserId: string;
  actorRole: string;
  targetType: string;
  targetIds: string[];
  at: string;
  requestId: string | null;
  service: string;
  detail: Record<string, unknown>;
}

async function log(ws: string, filter?: object, first = 50, after?: string): Promise<Entry[]> {
  const data = await ok(as(ws, 'admin'), LOG, { f: filter, first, after });
  return data.auditLog.edges.map((e: { node: Entry }) => e.node);
}

/** Every stored audit row of the workspace as text (all columns). */
async function storedText(ws: string): Promise<string> {
  const rows: { t: string }[] = await subgraph.db.query(
    'SELECT a::text AS t FROM audit_entry a WHERE a.workspace_id = $1',
    [ws],
  );
  return rows.map((r) => r.t).join('\n');
}

const person = {
  name: 'Trần Thị Bích Ngọc',
  phone: '0912 345 678',
  email: 'bich.ngoc@example.vn',
  address: '12 Lê Lợi, Quận 1',
};

it('records who created and changed a customer, with the signed request id and no personal value', async () => {
  const ws = newWorkspace();
  const editor = as(ws, 'editor', 'req-create-0001');
  const { createCustomer } = await ok(editor, CREATE, { i: person });
  await ok(
    as(ws, 'editor', 'req-update-0002'),
    'mutation($id: ID!, $p: CustomerPatch!) { updateCustomer(id: $id, input: $p) { id } }',
    { id: createCustomer.id, p: { email: 'ngoc.moi@example.vn', city: 'Hà Nội' } },
  );
  const entries = await log(ws);
  expect(entries).toMatchObject([
    {
      action: 'CUSTOMER_UPDATED',
      actorUserId: 'editor-1',
      actorRole: 'editor',
      targetType: 'Customer',
      targetIds: [createCustomer.id],
      requestId: 'req-update-0002',
      service: 'contacts',
      detail: { fields: 'city,email' },
    },
    {
      action: 'CUSTOMER_CREATED',
      targetIds: [createCustomer.id],
      requestId: 'req-create-0001',
      detail: {},
    },
  ]);
  const text = await storedText(ws);
  for (const value of [
    'Ngọc',
    'Ngoc',
    '912345678',
    '0912 345 678',
    '84912345678',
    'bich.ngoc',
    'ngoc.moi',
    'example.vn',
    'Lê Lợi',
    'Hà Nội',
  ]) {
    expect(text).not.toContain(value);
  }
});

it('writes the entry in the transaction of the action: a refused action leaves none', async () => {
  const ws = newWorkspace();
  const editor = as(ws, 'editor');
  await ok(editor, CREATE, { i: { name: 'A', externalIds: [{ source: 'ZALO', id: 'z-1' }] } });
  // The customer row is written, then the external id is refused: all rolled back.
  const refused = await subgraph.query(editor, CREATE, {
    i: { name: 'B', externalIds: [{ source: 'ZALO', id: 'z-1' }] },
  });
  expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');
  expect((await log(ws)).map((e) => e.action)).toEqual(['CUSTOMER_CREATED']);
  // And an entry is part of its transaction: one rolled back after it leaves nothing.
  await expect(
    subgraph.db.transaction(async (tx) => {
      await recordAudit(tx, editor, {
        action: AuditAction.CUSTOMER_CREATED,
        targetType: 'Customer',
        targetIds: [randomUUID()],
      });
      throw new Error('the action failed after its entry');
    }),
  ).rejects.toThrow('the action failed after its entry');
  expect(await log(ws)).toHaveLength(1);
});

it('records a bulk job once, with its filter kind and size, and deletions by ids', async () => {
  const ws = newWorkspace();
  const admin = as(ws, 'admin');
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { createCustomer } = await ok(admin, CREATE, {
      i: { name: `Khách ${i}`, tags: ['vip'] },
    });
    ids.push(createCustomer.id);
  }
  const { startBulkJob } = await ok(
    admin,
    `mutation { startBulkJob(filter: { tags: { containsAny: ["vip"] }, name: { contains: "Khách" } },
                             action: { addTags: ["sale"], setGroup: PRIORITY }) { id } }`,
  );
  await ok(admin, 'mutation($ids: [ID!]) { deleteCustomers(ids: $ids) { deleted } }', {
    ids: ids.slice(0, 2),
  });
  const [deleted, job] = await log(ws, {
    actions: ['CUSTOMERS_BULK_UPDATED', 'CUSTOMERS_DELETED'],
  });
  expect(job).toMatchObject({
    action: 'CUSTOMERS_BULK_UPDATED',
    targetType: 'BulkJob',
    targetIds: [startBulkJob.id],
    detail: {
      filterKind: 'FILTER',
      filterFields: 'name,tags',
      addTags: 1,
      setGroup: 'PRIORITY',
      total: 3,
    },
  });
  expect(deleted).toMatchObject({
    action: 'CUSTOMERS_DELETED',
    targetType: 'Customer',
    detail: { requested: 2, deleted: 2 },
  });
  expect([...deleted.targetIds].sort()).toEqual(ids.slice(0, 2).sort());
  // The filter's value ("Khách") is not kept.
  expect(await storedText(ws)).not.toContain('Khách');
});

it('records merges and phone-group uploads with ids and counts only', async () => {
  const ws = newWorkspace();
  const admin = as(ws, 'admin');
  const a = (await ok(admin, CREATE, { i: { name: 'Lan', phone: '0903 111 222' } })).createCustomer;
  const b = (await ok(admin, CREATE, { i: { name: 'Lan 2', email: 'lan@example.vn' } }))
    .createCustomer;
  const merged = await ok(
    admin,
    'mutation($s: ID!, $m: [ID!]!) { mergeCustomers(survivorId: $s, mergedIds: $m) { id } }',
    { s: a.id, m: [b.id] },
  );
  await ok(
    admin,
    'mutation($p: [String!]) { markCustomersByPhones(group: RESTRICTED, phones: $p) { matched } }',
    { p: ['0903111222', '0987654321'] },
  );
  const [group, merge] = await log(ws, {
    actions: ['CUSTOMERS_MERGED', 'CUSTOMERS_GROUP_MARKED'],
  });
  expect(merge).toMatchObject({
    action: 'CUSTOMERS_MERGED',
    targetIds: [a.id, b.id],
    detail: { mergeId: merged.mergeCustomers.id, merged: 1 },
  });
  expect(group).toMatchObject({
    action: 'CUSTOMERS_GROUP_MARKED',
    targetType: 'CustomerGroup',
    targetIds: ['RESTRICTED'],
    detail: { received: 2, matched: 1, unmatched: 1 },
  });
  const text = await storedText(ws);
  for (const value of ['903111222', '987654321', 'lan@', 'Lan']) expect(text).not.toContain(value);
});

function sentEntry(ws: string, requestId: string | null) {
  return createEvent({
    type: FOLLOWERS_AUDIT_RECORDED,
    workspaceId: ws,
    key: 'oa-1',
    payload: {
      action: AuditAction.ZALO_OA_CONNECTED,
      actorUserId: 'admin-1',
      actorRole: 'admin',
      targetType: 'ZaloOA',
      targetIds: ['oa-1'],
      requestId,
      at: new Date().toISOString(),
      detail: { status: 'PENDING' },
    },
  });
}

it("stores another service's entry once, under its event id, and refuses an unknown action", async () => {
  const ws = newWorkspace();
  const event = sentEntry(ws, 'req-from-followers');
  await applyEvents(subgraph.db, auditModule, event, event);
  expect(await log(ws)).toMatchObject([
    {
      id: event.id,
      action: 'ZALO_OA_CONNECTED',
      service: 'followers',
      targetType: 'ZaloOA',
      targetIds: ['oa-1'],
      requestId: 'req-from-followers',
      detail: { status: 'PENDING' },
    },
  ]);
  const unknown = sentEntry(ws, null);
  unknown.payload.action = 'SOMETHING_NEW';
  await expect(applyEvents(subgraph.db, auditModule, unknown)).rejects.toThrow(
    'unknown audit action',
  );
  expect(await log(ws)).toHaveLength(1);
});

it('is for admins only', async () => {
  const ws = newWorkspace();
  for (const role of ['editor', 'staff', 'analyst'] as const) {
    const body = await subgraph.query(as(ws, role), LOG, {});
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  }
});

it('filters by action, actor, target and time, and pages newest first', async () => {
  const ws = newWorkspace();
  const other = newWorkspace();
  const targets = Array.from({ length: 5 }, () => randomUUID());
  const write = (who: Identity, action: AuditAction, targetIds: string[]) =>
    subgraph.db.transaction((tx) =>
      recordAudit(tx, who, { action, targetType: 'Customer', targetIds }),
    );
  for (const [i, id] of targets.entries()) {
    await write(as(ws, i % 2 ? 'admin' : 'editor'), AuditAction.CUSTOMER_UPDATED, [id]);
  }
  await write(as(ws, 'admin'), AuditAction.CUSTOMERS_MERGED, [targets[0], targets[1]]);
  await write(as(other, 'admin'), AuditAction.CUSTOMER_UPDATED, [targets[0]]);
  // Spread the entries over five days, the merge the newest.
  await subgraph.db.query(
    `UPDATE audit_entry a SET at = now() - make_interval(days => r.n)
       FROM (SELECT id, (row_number() OVER (ORDER BY at DESC, id DESC) - 1)::int AS n
               FROM audit_entry WHERE workspace_id = $1) r
      WHERE a.id = r.id AND a.workspace_id = $1`,
    [ws],
  );

  const all = await log(ws);
  expect(all).toHaveLength(6);
  expect(all[0].action).toBe('CUSTOMERS_MERGED');
  const times = all.map((e) => Date.parse(e.at));
  expect([...times].sort((x, y) => y - x)).toEqual(times);

  // Pages of two, in the same order, then no more.
  const paged: Entry[] = [];
  let after: string | undefined;
  for (;;) {
    const data = await ok(as(ws, 'admin'), LOG, { first: 2, after });
    paged.push(...data.auditLog.edges.map((e: { node: Entry }) => e.node));
    if (!data.auditLog.pageInfo.hasNextPage) break;
    after = data.auditLog.pageInfo.endCursor;
  }
  expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));

  expect(await log(ws, { actions: ['CUSTOMERS_MERGED'] })).toHaveLength(1);
  expect((await log(ws, { actorUserId: 'editor-1' })).map((e) => e.actorUserId)).toEqual([
    'editor-1',
    'editor-1',
    'editor-1',
  ]);
  expect((await log(ws, { targetId: targets[0] })).map((e) => e.action)).toEqual([
    'CUSTOMERS_MERGED',
    'CUSTOMER_UPDATED',
  ]);
  const from = new Date(Date.now() - 2.5 * 86_400_000).toISOString();
  const to = new Date(Date.now() - 0.5 * 86_400_000).toISOString();
  expect((await log(ws, { from, to })).map((e) => e.id)).toEqual([all[1].id, all[2].id]);

  const bad = await subgraph.query(as(ws, 'admin'), LOG, { f: { from: to, to: from } });
  expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.to' });
  const tooMany = await subgraph.query(as(ws, 'admin'), LOG, { first: 201 });
  expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

it('prunes the entries past the retention, in batches, and keeps the rest', async () => {
  const ws = newWorkspace();
  const admin = as(ws, 'admin');
  for (let i = 0; i < 7; i++) {
    await subgraph.db.transaction((tx) =>
      recordAudit(tx, admin, {
        action: AuditAction.CUSTOMER_UPDATED,
        targetType: 'Customer',
        targetIds: [randomUUID()],
      }),
    );
  }
  const now = new Date();
  // Five entries 40 days old, two of today.
  await subgraph.db.query(
    `UPDATE audit_entry SET at = $2::timestamptz - interval '40 days'
      WHERE id IN (SELECT id FROM audit_entry WHERE workspace_id = $1 ORDER BY id LIMIT 5)`,
    [ws, now],
  );
  const before = await log(ws);
  const pruned = await pruneAuditEntries(subgraph.db, 30, now, 2);
  expect(pruned).toBeGreaterThanOrEqual(5);
  const kept = await log(ws);
  expect(kept).toHaveLength(2);
  expect(kept.map((e) => e.id)).toEqual(
    before.filter((e) => Date.parse(e.at) > now.getTime() - 30 * 86_400_000).map((e) => e.id),
  );
  expect(await pruneAuditEntries(subgraph.db, 30, now, 2)).toBe(0);
});
