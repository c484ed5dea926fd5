// The re-evaluation after a program change (setLoyaltyProgram): every customer of the
// workspace with orders or a ledger, in id order, BATCH at a time, through the
// reconciliation. Each batch commits its checkpoint (the last customer id) with its
// writes, under the job row's lock (FOR UPDATE SKIP LOCKED: one worker per job), so a
// customer is never re-evaluated twice by one job, even across restarts. A newer change
// supersedes a job still running: the new job covers everyone under the new program.
// Runs on the runtime's job worker (workspaces take turns batch by batch).
import type { DataSource, EntityManager } from 'typeorm';
import { startJobWorker } from '@customer-graph/runtime';
import type { BatchOutcome, Logger, Worker } from '@customer-graph/runtime';
import { readProgram } from './loyalty.program';
import { reconcileLoyalty } from './loyalty.reconcile';

export const REEVALUATION_BATCH = 500;

const CUSTOMERS_SQL = `
  SELECT customer_id AS id FROM customer_order WHERE workspace_id = $1 AND customer_id IS NOT NULL
  UNION SELECT customer_id FROM loyalty_balance WHERE workspace_id = $1`;

/** Queues the re-evaluation of every customer (in the program change's transaction). */
export async function queueReevaluation(
  tx: EntityManager,
  workspaceId: string,
  revision: number,
): Promise<string> {
  await tx.query(
    `UPDATE loyalty_reevaluation SET status = 'SUPERSEDED', finished_at = now()
      WHERE workspace_id = $1 AND status IN ('QUEUED', 'RUNNING')`,
    [workspaceId],
  );
  const [job]: { id: string }[] = await tx.query(
    `INSERT INTO loyalty_reevaluation (workspace_id, revision, total)
     SELECT $1, $2, count(*) FROM (${CUSTOMERS_SQL}) c RETURNING id`,
    [workspaceId, revision],
  );
  return job.id;
}

export async function runReevaluationBatch(db: DataSource, jobId: string): Promise<BatchOutcome> {
  return db.transaction(async (tx) => {
    const [job]: { workspaceId: string; after: string | null; revision: string; status: string }[] =
      await tx.query(
        `SELECT workspace_id AS "workspaceId", after_customer AS after, revision, status
           FROM loyalty_reevaluation WHERE id = $1 FOR UPDATE SKIP LOCKED`,
        [jobId],
      );
    if (!job) return 'busy';
    if (job.status !== 'QUEUED' && job.status !== 'RUNNING') return 'finished';
    const stored = await readProgram(tx, job.workspaceId);
    const ids: { id: string }[] = await tx.query(
      `SELECT id FROM (${CUSTOMERS_SQL}) c WHERE $2::uuid IS NULL OR id > $2::uuid
        ORDER BY id LIMIT ${REEVALUATION_BATCH}`,
      [job.workspaceId, job.after],
    );
    await reconcileLoyalty(
      tx,
      job.workspaceId,
      ids.map((r) => r.id),
      stored,
    );
    const done = ids.length < REEVALUATION_BATCH;
    await tx.query(
      `UPDATE loyalty_reevaluation
          SET processed = processed + $2, after_customer = COALESCE($3, after_customer),
              status = $4, finished_at = CASE WHEN $4 = 'FINISHED' THEN now() END
        WHERE id = $1`,
      [jobId, ids.length, ids.at(-1)?.id ?? null, done ? 'FINISHED' : 'RUNNING'],
    );
    return done ? 'finished' : 'more';
  });
}

export function startReevaluationWorker(db: DataSource, logger: Logger, pollMs?: number): Worker {
  return startJobWorker(
    {
      what: 'loyalty re-evaluation',
      pending: () =>
        db.query(
          `SELECT DISTINCT ON (workspace_id) id, workspace_id AS "workspaceId", created_at AS "createdAt"
             FROM loyalty_reevaluation WHERE status IN ('QUEUED', 'RUNNING')
            ORDER BY workspace_id, created_at`,
        ),
      runBatch: (jobId) => runReevaluationBatch(db, jobId),
      fail: (jobId) =>
        db.query(
          `UPDATE loyalty_reevaluation SET status = 'FAILED', finished_at = now() WHERE id = $1`,
          [jobId],
        ),
    },
    logger,
    pollMs,
  );
}
