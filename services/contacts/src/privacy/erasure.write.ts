// eraseCustomer in contacts (docs/privacy.md): in one transaction, the person's values
// are gathered (to find them in free text and events), every row about them goes
// (the record, and by its foreign keys notes, calls and their events, tasks,
// opportunities and their stage changes, phones and their claims, external ids;
// beside it consent rows, merge records naming them), saved filters and bulk jobs
// lose their values, stored files holding them are deleted, the outbox and dead
// letters are scrubbed, and the erasure is
// recorded and announced (contacts.customer.erased, ids only).
import type { EntityManager } from 'typeorm';
import {
  appendEvent,
  AuditAction,
  recordAudit,
  badInput,
  createEvent,
  CUSTOMER_ERASED,
  isUuid,
  personMatcher,
  publicError,
  PublicErrorCode,
  scrubColumn,
  scrubEventTables,
} from '@customer-graph/runtime';
import type { Identity, PersonMatcher } from '@customer-graph/runtime';
import { deleteFilesMentioning } from '../files/file.store';
import { erasureOf } from './erasure.read';
import { forgetPersonExports } from './person-export.write';
import type { ErasureView } from './erasure.read';

/** What a subgraph counts as removed, by kind of row. */
export type Removed = Record<string, number>;

interface Person {
  name: string | null;
  email: string | null;
  address: string | null;
  phones: string[];
  externalIds: string[];
  mergedIds: string[];
}

async function gather(tx: EntityManager, workspaceId: string, id: string): Promise<Person | null> {
  const [customer]: { name: string | null; email: string | null; address: string | null }[] =
    await tx.query(
      `SELECT name, email, address FROM customer WHERE workspace_id = $1 AND id = $2 FOR UPDATE`,
      [workspaceId, id],
    );
  if (!customer) return null;
  const phones: { number: string; e164: string | null }[] = await tx.query(
    'SELECT number, e164 FROM customer_phone WHERE workspace_id = $1 AND customer_id = $2',
    [workspaceId, id],
  );
  const external: { external_id: string }[] = await tx.query(
    'SELECT external_id FROM customer_external_id WHERE workspace_id = $1 AND customer_id = $2',
    [workspaceId, id],
  );
  const merged: { merged_id: string }[] = await tx.query(
    'SELECT merged_id FROM customer_merge WHERE workspace_id = $1 AND survivor_id = $2',
    [workspaceId, id],
  );
  return {
    ...customer,
    phones: phones.flatMap((p) => [p.number, ...(p.e164 ? [p.e164] : [])]),
    externalIds: external.map((e) => e.external_id),
    mergedIds: merged.map((m) => m.merged_id),
  };
}

async function count(tx: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const [{ n }]: { n: number }[] = await tx.query(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return n;
}

/** Deletes the person's rows; counts by kind. */
async function deleteRows(tx: EntityManager, ws: string, id: string, ids: string[]) {
  const removed: Removed = {};
  const byCustomer = (table: string) =>
    count(tx, `${table} WHERE workspace_id = $1 AND customer_id = $2`, [ws, id]);
  // Counted before the record goes: its foreign keys take these with it.
  removed.notes = await byCustomer('customer_note');
  removed.calls = await byCustomer('customer_call');
  removed.tasks = await byCustomer('customer_task');
  removed.opportunities = await byCustomer('opportunity');
  removed.phones = await byCustomer('customer_phone');
  removed.externalIds = await byCustomer('customer_external_id');
  const [, consents] = await tx.query(
    'DELETE FROM customer_channel_consent WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[])',
    [ws, ids],
  );
  removed.consents = consents;
  // A merge that names the person holds their values (merge_audit.merged, .choices).
  const [audits]: [{ id: string }[], number] = await tx.query(
    `DELETE FROM customer_merge WHERE workspace_id = $1
        AND (survivor_id = ANY($2::uuid[]) OR merged_id = ANY($2::uuid[])
          OR merge_id IN (SELECT id FROM merge_audit WHERE workspace_id = $1
                           AND (survivor_id = ANY($2::uuid[]) OR merged_ids && $2::uuid[])))
      RETURNING merge_id AS id`,
    [ws, ids],
  );
  const [, merges] = await tx.query(
    `DELETE FROM merge_audit WHERE workspace_id = $1
        AND (survivor_id = ANY($2::uuid[]) OR merged_ids && $2::uuid[] OR id = ANY($3::uuid[]))`,
    [ws, ids, audits.map((a) => a.id)],
  );
  removed.merges = merges;
  const [, customers] = await tx.query('DELETE FROM customer WHERE workspace_id = $1 AND id = $2', [
    ws,
    id,
  ]);
  removed.customers = customers;
  return removed;
}

/** Free text and JSON that may hold the person's values (filters, jobs). */
async function scrubValues(tx: EntityManager, ws: string, matcher: PersonMatcher | null) {
  const columns = [
    { table: 'customer_list', keys: ['id'], column: 'filter', kind: 'jsonb' },
    { table: 'bulk_job', keys: ['id'], column: 'filter', kind: 'jsonb' },
    { table: 'bulk_job', keys: ['id'], column: 'action', kind: 'jsonb' },
    { table: 'bulk_job', keys: ['id'], column: 'error', kind: 'text' },
    { table: 'user_view', keys: ['user_id'], column: 'saved_filter', kind: 'jsonb' },
    // Imports: a file's rows while it runs, the refused rows kept for their report.
    { table: 'customer_import', keys: ['id'], column: 'csv', kind: 'text' },
    {
      table: 'customer_import_chunk',
      keys: ['import_id', 'seq'],
      column: 'records',
      kind: 'jsonb',
    },
    { table: 'customer_import_error', keys: ['id'], column: 'cells', kind: 'jsonb' },
    { table: 'customer_import_error', keys: ['id'], column: 'message', kind: 'text' },
    // Exports: what was asked for (a filter may name the person).
    { table: 'export_job', keys: ['id'], column: 'target', kind: 'jsonb' },
    { table: 'export_job', keys: ['id'], column: 'filter', kind: 'jsonb' },
  ] as const;
  let n = 0;
  for (const c of columns) n += await scrubColumn(tx, ws, matcher, c);
  return n;
}

/** The erasure of `id`, contacts' part of it done in `tx`; the same erasure when asked again. */
export async function eraseCustomer(
  tx: EntityManager,
  identity: Identity,
  id: string,
): Promise<ErasureView> {
  if (!isUuid(id)) throw badInput('id', `"${id}" is not a customer id`);
  const ws = identity.workspaceId;
  // Two erasures of one customer at once: the second waits and answers the first's.
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`erase ${ws} ${id}`]);
  const done = await erasureOf(tx, ws, id);
  if (done) return done;
  const person = await gather(tx, ws, id);
  if (!person) throw publicError(PublicErrorCode.NOT_FOUND, `no customer ${id}`, { field: 'id' });
  const ids = [id, ...person.mergedIds];
  const matcher = personMatcher({
    customerIds: ids,
    phones: person.phones,
    emails: [person.email],
    texts: [person.name, person.address, ...person.externalIds],
  });
  const removed = await deleteRows(tx, ws, id, ids);
  removed.personExportParts = await forgetPersonExports(tx, ws, id);
  removed.filtersScrubbed = await scrubValues(tx, ws, matcher);
  // Exports and uploads of the last day that hold the person (docs/files.md).
  removed.files = await deleteFilesMentioning(tx, ws, matcher?.values ?? []);
  const scrubbed = await scrubEventTables(tx, ws, matcher, [CUSTOMER_ERASED]);
  removed.outboxScrubbed = scrubbed.outbox;
  removed.deadLettersScrubbed = scrubbed.deadLetters;
  const [{ id: erasureId }]: { id: string }[] = await tx.query(
    `INSERT INTO customer_erasure (workspace_id, customer_id, erased_by, removed)
     VALUES ($1, $2, $3, $4) RETURNING id`,
    [ws, id, identity.userId, JSON.stringify(removed)],
  );
  await appendEvent(
    tx,
    createEvent({
      type: CUSTOMER_ERASED,
      workspaceId: ws,
      key: id,
      payload: { customerId: id, erasureId, erasedBy: identity.userId },
    }),
  );
  await recordAudit(tx, identity, {
    action: AuditAction.CUSTOMER_ERASED,
    targetType: 'Customer',
    targetIds: [id],
    detail: { erasureId, mergedIds: person.mergedIds.length },
  });
  return (await erasureOf(tx, ws, id))!;
}
