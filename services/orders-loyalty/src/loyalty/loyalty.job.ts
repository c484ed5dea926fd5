// The re-evaluation after a program change (setLoyaltyProgram): every customer of the
// workspace with orders or a ledger, through the reconciliation, BATCH at a time.
//
// Lanes: the customer ids are cut into LANES disjoint ranges, each with its own
// checkpoint (loyalty_reevaluation_lane). A batch locks one lane (FOR UPDATE SKIP
// LOCKED: one batch per lane at a time), takes the lane's next customers in id order,
// and commits its writes with the lane's checkpoint: a customer is never re-evaluated
// twice by one job, even across restarts. The lanes run at once, one worker each, so
// the database works on two batches at a time (bench:loyalty: 2 cores).
//
// A program change waits for the batches in flight (an exclusive advisory lock per
// workspace against the batches' shared one), then supersedes the running job: a batch
// that starts after it sees SUPERSEDED and stops; the new job covers everyone under the
// new program. The job row holds the progress (processed, summed over the lanes) and
// becomes FINISHED when the last lane is done.
import type { DataSource, EntityManager } from 'typeorm';
import { startJobWorker } from '@customer-graph/runtime';
import type { BatchOutcome, Logger, Worker } from '@customer-graph/runtime';
import { readProgram } from './loyalty.program';
import { reconcileLoyalty } from './loyalty.reconcile';

export const REEVALUATION_BATCH = 500;

/** Lane i covers ids from LANE_STARTS[i] up to the next lane's start. */
const LANE_STARTS = [
  '00000000-0000-0000-0000-000000000000',
  '80000000-0000-0000-0000-000000000000',
] as const;
export const LANES = LANE_STARTS.length;

/** The advisory lock class of a workspace's loyalty program (its key: hashtext(workspace)). */
const PROGRAM_LOCK = 1_702_000_001;

const CUSTOMERS_SQL = `
  SELECT customer_id AS id FROM customer_order WHERE workspace_id = $1 AND customer_id IS NOT NULL
  UNION SELECT customer_id FROM loyalty_balance WHERE workspace_id = $1`;

/**
 * The lane's next batch after its checkpoint (`>`), or from its start (`>=`): each side
 * walks its index from there and stops after a batch of distinct customers (not the
 * whole workspace's UNION per batch, which made the job quadratic in its size).
 */
const nextCustomersSql = (from: '>' | '>=') => {
  const range = `workspace_id = $1 AND customer_id ${from} $2::uuid
        AND ($3::uuid IS NULL OR customer_id < $3::uuid)`;
  return `
  SELECT id FROM (
    (SELECT DISTINCT customer_id AS id FROM customer_order WHERE ${range}
      ORDER BY customer_id LIMIT ${REEVALUATION_BATCH})
    UNION
    (SELECT customer_id FROM loyalty_balance WHERE ${range}
      ORDER BY customer_id LIMIT ${REEVALUATION_BATCH})
  ) c ORDER BY id LIMIT ${REEVALUATION_BATCH}`;
};
const AFTER_CHECKPOINT_SQL = nextCustomersSql('>');
const FROM_START_SQL = nextCustomersSql('>=');

/** Waits for the workspace's re-evaluation batches in flight (a program change). */
export async function lockProgram(tx: EntityManager, workspaceId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [PROGRAM_LOCK, workspaceId]);
}

/** Queues the re-evaluation of every customer (in the program change's transaction). */
export async function queueReevaluation(
  tx: EntityManager,
  workspaceId: string,
  revision: number,
): Promise<string> {
  await lockProgram(tx, workspaceId);
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
  await tx.query(
    `INSERT INTO loyalty_reevaluation_lane (job_id, lane, from_customer, to_customer)
     SELECT $1, l.lane - 1, l.lo, lead(l.lo) OVER (ORDER BY l.lane)
       FROM unnest($2::uuid[]) WITH ORDINALITY AS l(lo, lane)`,
    [job.id, LANE_STARTS],
  );
  return job.id;
}

interface Lane {
  lane: number;
  from: string;
  to: string | null;
  after: string | null;
}

export async function runReevaluationBatch(db: DataSource, jobId: string): Promise<BatchOutcome> {
  const outcome = await db.transaction(async (tx): Promise<BatchOutcome | 'lane done'> => {
    const [job]: { workspaceId: string; status: string }[] = await tx.query(
      `SELECT workspace_id AS "workspaceId", status FROM loyalty_reevaluation WHERE id = $1`,
      [jobId],
    );
    if (!job) return 'finished';
    await tx.query('SELECT pg_advisory_xact_lock_shared($1, hashtext($2))', [
      PROGRAM_LOCK,
      job.workspaceId,
    ]);
    // Read again under the lock: a program change may have superseded the job meanwhile.
    const [now]: { status: string }[] = await tx.query(
      'SELECT status FROM loyalty_reevaluation WHERE id = $1',
      [jobId],
    );
    if (now.status !== 'QUEUED' && now.status !== 'RUNNING') return 'finished';
    const [lane]: Lane[] = await tx.query(
      `SELECT lane, from_customer AS "from", to_customer AS "to", after_customer AS after
         FROM loyalty_reevaluation_lane WHERE job_id = $1 AND NOT done
        ORDER BY lane LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [jobId],
    );
    if (!lane) return 'busy';
    const stored = await readProgram(tx, job.workspaceId);
    const ids: { id: string }[] = await tx.query(
      lane.after ? AFTER_CHECKPOINT_SQL : FROM_START_SQL,
      [job.workspaceId, lane.after ?? lane.from, lane.to],
    );
    await reconcileLoyalty(
      tx,
      job.workspaceId,
      ids.map((r) => r.id),
      stored,
    );
    const done = ids.length < REEVALUATION_BATCH;
    await tx.query(
      `UPDATE loyalty_reevaluation_lane
          SET processed = processed + $3, after_customer = COALESCE($4, after_customer), done = $5
        WHERE job_id = $1 AND lane = $2`,
      [jobId, lane.lane, ids.length, ids.at(-1)?.id ?? null, done],
    );
    // Short: the row lock is held from here to the commit.
    await tx.query(
      `UPDATE loyalty_reevaluation SET processed = processed + $2, status = 'RUNNING'
        WHERE id = $1`,
      [jobId, ids.length],
    );
    return done ? 'lane done' : 'more';
  });
  if (outcome !== 'lane done') return outcome;
  // After the commit: the last lane to finish sees every other lane done (each checks
  // after its own commit), and finishes the job.
  const [, finished] = (await db.query(
    `UPDATE loyalty_reevaluation SET status = 'FINISHED', finished_at = now()
      WHERE id = $1 AND status IN ('QUEUED', 'RUNNING')
        AND NOT EXISTS (SELECT 1 FROM loyalty_reevaluation_lane WHERE job_id = $1 AND NOT done)`,
    [jobId],
  )) as [unknown, number];
  return finished > 0 ? 'finished' : 'busy';
}

/** One job worker per lane, so the lanes of a job run at once. */
export function startReevaluationWorker(db: DataSource, logger: Logger, pollMs?: number): Worker {
  const workers = LANE_STARTS.map(() =>
    startJobWorker(
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
    ),
  );
  return { stop: async () => void (await Promise.all(workers.map((w) => w.stop()))) };
}
