// The import worker's batches. Each batch locks its job row (FOR UPDATE SKIP LOCKED:
// one worker per job at a time, across processes) and commits its checkpoint with
// the job's counters:
//   1. The first batch parses the file (giving the event loop back every 500 rows),
//      stores its errors and its orders in chunks of ORDERS_PER_CHUNK, and drops the
//      file. It writes no order, so a crash before its commit leaves the job QUEUED.
//   2. Each next batch hands one chunk to upsertOrders (order.upsert.ts: matching,
//      history and whatever else it does apply) IN THE BATCH'S TRANSACTION, and moves
//      the checkpoint: the chunk's orders and the checkpoint commit together, so a
//      process that dies mid-batch leaves neither, and the next worker writes the
//      chunk once and counts it as it is (created, updated or unchanged).
// Workspaces take turns chunk by chunk (the runtime's job worker), so one workspace's
// 20,000-row file does not hold back another's 10-row one.
import type { DataSource, EntityManager } from 'typeorm';
import {
  badInput,
  createRequestAccess,
  CsvError,
  inChunks,
  projectedAssignments,
  readCsv,
  startJobWorker,
} from '@customer-graph/runtime';
import type { BatchOutcome, Logger, Role, Worker } from '@customer-graph/runtime';
import { upsertOrders } from '../orders/order.upsert';
import type { OrderImportRow } from './import.entity';
import { IMPORT_SELECT } from './import.entity';
import { rejectionError } from './import.order';
import { groupRows } from './import.rows';
import type { ImportedOrder, RowError } from './import.rows';

/** Orders per chunk: one upsertOrders call (at most 500) and one checkpoint. */
export const ORDERS_PER_CHUNK = 200;

async function insertErrors(
  tx: EntityManager,
  job: OrderImportRow,
  errors: readonly RowError[],
): Promise<void> {
  if (errors.length === 0) return;
  await tx.query(
    `INSERT INTO order_import_error (workspace_id, import_id, line, row, code, column_name, message)
     SELECT $1, $2, x.line, x.row, x.code, x.column, x.message
       FROM jsonb_to_recordset($3::jsonb) AS x(line int, row int, code text, "column" text, message text)`,
    [job.workspaceId, job.id, JSON.stringify(errors)],
  );
}

/** Parses the file into chunks of orders and errors; the job is RUNNING after it. */
async function prepare(tx: EntityManager, job: OrderImportRow): Promise<BatchOutcome> {
  const records = readCsv(job.csv!);
  records.next(); // the header, read when the job was queued
  let grouped;
  try {
    grouped = await inChunks(groupRows(records, job.columns, job.source));
  } catch (error) {
    // Counted before the job was queued, so only a file stored by other means.
    if (error instanceof CsvError) throw badInput('csv', error.message);
    throw error;
  }
  const chunks: { seq: number; rows: number; orders: ImportedOrder[] }[] = [];
  for (let i = 0; i < grouped.orders.length; i += ORDERS_PER_CHUNK) {
    const orders = grouped.orders.slice(i, i + ORDERS_PER_CHUNK);
    chunks.push({ seq: chunks.length, rows: orders.reduce((n, o) => n + o.rows, 0), orders });
  }
  if (chunks.length > 0) {
    await tx.query(
      `INSERT INTO order_import_chunk (workspace_id, import_id, seq, rows, orders)
       SELECT $1, $2, x.seq, x.rows, x.orders
         FROM jsonb_to_recordset($3::jsonb) AS x(seq int, rows int, orders jsonb)`,
      [job.workspaceId, job.id, JSON.stringify(chunks)],
    );
  }
  await insertErrors(tx, job, grouped.errors);
  await tx.query(
    `UPDATE order_import SET csv = NULL, status = $3, chunks = $4, rows_total = $5,
            rows_processed = $6, orders_total = $7, orders_rejected = $8, error_count = $9,
            started_at = now(), finished_at = CASE WHEN $3 = 'DONE' THEN now() END
      WHERE workspace_id = $1 AND id = $2`,
    [
      job.workspaceId,
      job.id,
      chunks.length > 0 ? 'RUNNING' : 'DONE',
      chunks.length,
      grouped.rows,
      grouped.rejectedRows,
      grouped.orders.length + grouped.rejectedOrders,
      grouped.rejectedOrders,
      grouped.errors.length,
    ],
  );
  return chunks.length > 0 ? 'more' : 'finished';
}

/** Upserts the job's next chunk and moves its checkpoint past it. */
async function writeChunk(
  db: DataSource,
  tx: EntityManager,
  job: OrderImportRow,
): Promise<BatchOutcome> {
  const [chunk] = (await tx.query(
    `SELECT rows, orders FROM order_import_chunk WHERE workspace_id = $1 AND import_id = $2 AND seq = $3`,
    [job.workspaceId, job.id, job.nextChunk],
  )) as { rows: number; orders: ImportedOrder[] }[];
  const orders = chunk?.orders ?? [];
  // The upserts run with the starter's access, as their own request would have.
  const identity = {
    workspaceId: job.workspaceId,
    userId: job.createdBy,
    role: job.createdRole as Role,
  };
  const access = createRequestAccess(identity, db, projectedAssignments);
  const result = orders.length
    ? await upsertOrders(
        tx,
        job.workspaceId,
        access,
        orders.map((o) => o.input),
      )
    : { created: 0, updated: 0, unchanged: 0, rejected: [] };
  const errors = result.rejected.map((r) => rejectionError(orders[r.index], job.columns, r));
  await insertErrors(tx, job, errors);
  const last = job.nextChunk + 1 >= job.chunks;
  await tx.query(
    `UPDATE order_import SET next_chunk = next_chunk + 1, rows_processed = rows_processed + $3,
            orders_created = orders_created + $4, orders_updated = orders_updated + $5,
            orders_unchanged = orders_unchanged + $6, orders_rejected = orders_rejected + $7,
            error_count = error_count + $8, status = $9,
            finished_at = CASE WHEN $9 = 'DONE' THEN now() END
      WHERE workspace_id = $1 AND id = $2`,
    [
      job.workspaceId,
      job.id,
      chunk?.rows ?? 0,
      result.created,
      result.updated,
      result.unchanged,
      result.rejected.length,
      errors.length,
      last ? 'DONE' : 'RUNNING',
    ],
  );
  // Chunks are kept until the job is done: a resumed job finds the one it was at.
  if (last) {
    await tx.query(`DELETE FROM order_import_chunk WHERE workspace_id = $1 AND import_id = $2`, [
      job.workspaceId,
      job.id,
    ]);
  }
  return last ? 'finished' : 'more';
}

/** One batch of an import: its parse, or its next chunk. */
export async function runImportBatch(db: DataSource, jobId: string): Promise<BatchOutcome> {
  return db.transaction(async (tx) => {
    const [job] = (await tx.query(
      `SELECT ${IMPORT_SELECT}, o.csv FROM order_import o WHERE o.id = $1 FOR UPDATE SKIP LOCKED`,
      [jobId],
    )) as OrderImportRow[];
    if (!job) return 'busy';
    if (job.status === 'DONE' || job.status === 'FAILED') return 'finished';
    return job.csv !== null ? prepare(tx, job) : writeChunk(db, tx, job);
  });
}

/** The worker: each workspace's oldest unfinished import, workspaces in turn. */
export function startImportWorker(db: DataSource, logger: Logger, pollMs = 250): Worker {
  return startJobWorker(
    {
      what: 'order import',
      pending: () =>
        db.query(
          `SELECT DISTINCT ON (workspace_id) id, workspace_id AS "workspaceId", created_at AS "createdAt"
             FROM order_import WHERE status IN ('QUEUED', 'RUNNING')
            ORDER BY workspace_id, created_at, id`,
        ),
      runBatch: (jobId) => runImportBatch(db, jobId),
      fail: (jobId, reason) =>
        db.query(
          `WITH gone AS (DELETE FROM order_import_chunk WHERE import_id = $1)
           UPDATE order_import SET status = 'FAILED', failure = $2, csv = NULL, finished_at = now()
            WHERE id = $1`,
          [jobId, reason],
        ),
    },
    logger,
    pollMs,
  );
}
