// Bulk actions over a whole filter, in the background. A job keeps its filter, its
// action and a checkpoint (the last customer handled, in (created_at, id) order).
// Each batch locks the job row, applies the action to the next customers after the
// checkpoint and moves the checkpoint, all in one transaction: a restart (or a
// second worker) goes on from the last committed batch, so nothing applies twice.
// Only customers that existed when the job started are considered.
import type { DataSource, EntityManager } from 'typeorm';
import { AuditAction, recordAudit, staffScope, startJobWorker } from '@customer-graph/runtime';
import type { BatchOutcome, Identity, Logger, Worker } from '@customer-graph/runtime';
import type { CustomerFilterInput } from '../filter/filter.types';
import { compileWhere, countWhere } from '../customers/customer.list';
import type { ListScope } from '../customers/customer.list';
import { deleteWhere } from '../customers/customer.write';
import { BulkJobEntity } from './bulk-job.entity';
import type { BulkJobRow } from './bulk-job.entity';
import { applyAction } from './bulk.action';
import type { BulkAction } from './bulk.action';
import { actionDetail } from './bulk.audit';
import { filterDetail } from '../audit/audit.details';

export const BATCH_SIZE = 500;

/** What a job does: a bulk action, or deleting its customers. */
export type JobAction = BulkAction | { delete: true };

export async function startJob(
  db: DataSource,
  identity: Identity,
  filter: CustomerFilterInput,
  action: JobAction,
  /** The request's list scope (its memos), when there is one. */
  requestScope?: ListScope,
): Promise<BulkJobRow> {
  const scope: ListScope = {
    ...requestScope,
    workspaceId: identity.workspaceId,
    staffUserId: staffScope(identity),
  };
  // Compiling checks the filter now, so a bad one is refused before any job exists.
  const total = await countWhere(db, await compileWhere(db, scope, filter));
  // One audit entry per job, with the job: its filter's kind, its action, its size.
  return db.transaction(async (tx) => {
    const job = await tx.getRepository(BulkJobEntity).save({
      workspaceId: identity.workspaceId,
      createdBy: identity.userId,
      staffScope: scope.staffUserId,
      // Dates become ISO strings: the filter is kept as the JSON the compiler reads back.
      filter: JSON.parse(JSON.stringify(filter)),
      action: action as unknown as Record<string, unknown>,
      status: 'QUEUED',
      total,
      processed: 0,
      failed: 0,
    });
    await recordAudit(tx, identity, {
      action:
        'delete' in action ? AuditAction.CUSTOMERS_DELETED : AuditAction.CUSTOMERS_BULK_UPDATED,
      targetType: 'BulkJob',
      targetIds: [job.id],
      detail: { ...filterDetail(filter), ...actionDetail(action), total },
    });
    return job;
  });
}

/** One batch of a job: whether it has more to do, finished, or is another worker's now. */
async function runBatch(db: DataSource, jobId: string): Promise<BatchOutcome> {
  return db.transaction(async (tx) => {
    const [job] = (await tx.query(
      `SELECT id, workspace_id AS "workspaceId", created_by AS "createdBy",
              staff_scope AS "staffScope", filter, action, status, created_at AS "createdAt",
              after_created_at AS "afterCreatedAt", after_id AS "afterId"
         FROM bulk_job WHERE id = $1 FOR UPDATE SKIP LOCKED`,
      [jobId],
    )) as BulkJobRow[];
    if (!job) return 'busy';
    if (job.status === 'DONE' || job.status === 'FAILED') return 'finished';
    const scope = { workspaceId: job.workspaceId, staffUserId: job.staffScope };
    const where = await compileWhere(tx.connection, scope, job.filter as CustomerFilterInput);
    const params = [...where.params.values];
    const add = (value: unknown) => `$${params.push(value)}`;
    const after = job.afterId
      ? `AND (c.created_at, c.id) > (${add(job.afterCreatedAt)}::timestamptz, ${add(job.afterId)}::uuid)`
      : '';
    const batch: { id: string; created_at: Date }[] = await tx.query(
      `SELECT c.id, c.created_at FROM customer c
        WHERE ${where.sql} AND c.created_at <= ${add(job.createdAt)}::timestamptz ${after}
        ORDER BY c.created_at, c.id LIMIT ${BATCH_SIZE}`,
      params,
    );
    const ids = batch.map((r) => r.id);
    const { done, failed } = await applyToBatch(tx, job, ids);
    const last = batch[batch.length - 1];
    const more = batch.length === BATCH_SIZE;
    await tx.query(
      `UPDATE bulk_job SET status = $2, processed = processed + $3, failed = failed + $4,
              after_created_at = COALESCE($5, after_created_at), after_id = COALESCE($6, after_id),
              finished_at = CASE WHEN $2 = 'DONE' THEN now() END
        WHERE id = $1`,
      [job.id, more ? 'RUNNING' : 'DONE', done, failed, last?.created_at ?? null, last?.id ?? null],
    );
    return more ? 'more' : 'finished';
  });
}

async function applyToBatch(tx: EntityManager, job: BulkJobRow, ids: string[]) {
  if (ids.length === 0) return { done: 0, failed: 0 };
  const action = job.action as unknown as JobAction;
  if ('delete' in action) {
    const identity: Identity = {
      workspaceId: job.workspaceId,
      userId: job.createdBy,
      role: job.staffScope ? 'staff' : 'admin',
    };
    const deleted = await deleteWhere(tx, identity, 'c.id = ANY($3::uuid[])', [ids]);
    return { done: ids.length, failed: ids.length - deleted };
  }
  const applied = await applyAction(
    tx,
    job.workspaceId,
    action,
    'c.workspace_id = $1 AND c.id = ANY($2::uuid[])',
    [job.workspaceId, ids],
  );
  return { done: ids.length, failed: applied.skipped.length };
}

/**
 * Runs queued and interrupted jobs one batch at a time: a workspace's oldest first,
 * workspaces in turn (the runtime's job worker). A job whose filter no longer
 * compiles (a custom field it names was deleted) fails with the reason; any other
 * error is retried at the next poll, MAX_BATCH_FAILURES times.
 */
export function startBulkJobWorker(db: DataSource, logger: Logger, pollMs = 250): Worker {
  return startJobWorker(
    {
      what: 'bulk job',
      // Each workspace's oldest pending job; the worker takes turns between workspaces.
      pending: () =>
        db.query(
          `SELECT DISTINCT ON (workspace_id) id, workspace_id AS "workspaceId", created_at AS "createdAt"
             FROM bulk_job WHERE status IN ('QUEUED', 'RUNNING')
            ORDER BY workspace_id, created_at, id`,
        ),
      runBatch: (jobId) => runBatch(db, jobId),
      fail: (jobId, reason) =>
        db.query(
          `UPDATE bulk_job SET status = 'FAILED', error = $2, finished_at = now() WHERE id = $1`,
          [jobId, reason],
        ),
    },
    logger,
    pollMs,
  );
}
