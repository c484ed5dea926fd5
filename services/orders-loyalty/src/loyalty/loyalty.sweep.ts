// The periodic sweep (docs/loyalty.md): expiry and the rolling 12-month window apply
// when a customer is reconciled, so a customer with no new order, redemption or program
// change would keep expired points and an old tier forever. Every balance write sets
// loyalty_balance.due_at (refreshDueAt, loyalty.ledger.ts), the next time a
// reconciliation would change something on its own; this worker reconciles the rows
// whose due_at has passed, SWEEP_BATCH a transaction, on the runtime's job worker (one
// "job" per workspace with something due: workspaces take turns batch by batch).
// Several replicas at once: a batch takes its balance rows FOR UPDATE SKIP LOCKED, so two
// sweeps never take the same customer at once; and the reconciliation writes only
// differences (a second one writes nothing), so a row swept twice still gets one EXPIRE.
import type { DataSource } from 'typeorm';
import { startJobWorker } from '@customer-graph/runtime';
import type { BatchOutcome, Logger, PendingJob, Worker } from '@customer-graph/runtime';
import { readProgram } from './loyalty.program';
import { reconcileLoyalty } from './loyalty.reconcile';

export const SWEEP_BATCH = 200;

/** Workspaces (with a program) having a customer due, the earliest due first in a tie. */
export function dueWorkspaces(db: DataSource): Promise<PendingJob[]> {
  return db.query(
    `SELECT p.workspace_id AS id, p.workspace_id AS "workspaceId", d.due AS "createdAt"
       FROM loyalty_program p
       CROSS JOIN LATERAL (
         SELECT min(b.due_at) AS due FROM loyalty_balance b
          WHERE b.workspace_id = p.workspace_id AND b.due_at <= now()) d
      WHERE d.due IS NOT NULL`,
  );
}

/**
 * Reconciles up to SWEEP_BATCH due customers of one workspace in one transaction: 'more'
 * when the batch was full, 'busy' when every due row is held by another transaction.
 */
export async function runSweepBatch(db: DataSource, workspaceId: string): Promise<BatchOutcome> {
  return db.transaction(async (tx) => {
    const rows: { id: string }[] = await tx.query(
      `SELECT customer_id AS id FROM loyalty_balance
        WHERE workspace_id = $1 AND due_at <= now()
        ORDER BY due_at LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED`,
      [workspaceId],
    );
    if (rows.length === 0) return 'busy';
    const ids = rows.map((r) => r.id);
    const stored = await readProgram(tx, workspaceId);
    // Reconciling sets due_at again (only future times once settled).
    if (stored) await reconcileLoyalty(tx, workspaceId, ids, stored);
    // Without a program nothing falls due (a new program re-evaluates everyone); and a row
    // still due after its reconciliation must not be taken again at once.
    await tx.query(
      `UPDATE loyalty_balance SET due_at = NULL
        WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[]) AND due_at <= now()`,
      [workspaceId, ids],
    );
    return rows.length < SWEEP_BATCH ? 'finished' : 'more';
  });
}

/** Sweeps every `intervalMs` (and at start), until nothing is due. */
export function startSweepWorker(db: DataSource, logger: Logger, intervalMs: number): Worker {
  return startJobWorker(
    {
      what: 'loyalty sweep',
      pending: () => dueWorkspaces(db),
      runBatch: (workspaceId) => runSweepBatch(db, workspaceId),
      // No job row to mark: the job worker has logged the failures; the next pass retries.
      fail: async () => undefined,
    },
    logger,
    intervalMs,
  );
}
