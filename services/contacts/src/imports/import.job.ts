// The import worker's batches. Each batch locks its job row (FOR UPDATE SKIP LOCKED:
// one worker per job at a time, across processes) and commits its checkpoint with the
// job's counters:
//   1. The first batch reads the file (streamed: a chunk of CHUNK_ROWS records in
//      memory at a time) into customer_import_chunk and drops an inline file. It writes
//      no customer, so a crash before its commit leaves the job QUEUED.
//   2. Each next batch reads one chunk's rows, upserts them (import.upsert.ts) IN THE
//      BATCH'S TRANSACTION, records the refused rows, and moves the checkpoint: the
//      customers and the checkpoint commit together, so a restarted worker writes the
//      chunk once. A dry run upserts inside a savepoint it rolls back: only the counts
//      and the refused rows stay.
//   3. The last batch writes the refused rows as a CSV file (import.error-file.ts),
//      deletes the chunks and marks the job DONE.
// Workspaces take turns batch by batch (the runtime's job worker).
import type { DataSource, EntityManager } from 'typeorm';
import { badInput, CsvError, startJobWorker } from '@customer-graph/runtime';
import type { BatchOutcome, Logger, Worker } from '@customer-graph/runtime';
import { loadCustomFields } from '../custom-fields/custom-field.service';
import { IMPORT_SELECT } from './import.entity';
import type { CustomerImportRow } from './import.entity';
import { deleteFile } from '../files/file.store';
import { writeErrorFile } from './import.error-file';
import { readRow } from './import.rows';
import type { ImportRecord, ImportRow, RowError } from './import.rows';
import { recordsOf, unreadable } from './import.source';
import { upsertRows } from './import.upsert';

/** Rows per chunk: one batch, one transaction, one checkpoint. */
export const CHUNK_ROWS = 1000;

async function insertErrors(tx: EntityManager, job: CustomerImportRow, errors: RowError[]) {
  if (errors.length === 0) return;
  await tx.query(
    `INSERT INTO customer_import_error (workspace_id, import_id, line, column_name, field, message, cells)
     SELECT $1, $2, x.line, x.column, x.field, x.message, x.cells
       FROM jsonb_to_recordset($3::jsonb) AS x(line int, "column" text, field text, message text, cells jsonb)`,
    [job.workspaceId, job.id, JSON.stringify(errors)],
  );
}

/** Reads the file into chunks; the job is RUNNING after it. */
async function prepare(db: DataSource, tx: EntityManager, job: CustomerImportRow) {
  const field = job.csv !== null ? 'input.csv' : 'input.uploadId';
  let seq = 0;
  let rows = 0;
  let chunk: ImportRecord[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    await tx.query(
      `INSERT INTO customer_import_chunk (workspace_id, import_id, seq, records) VALUES ($1, $2, $3, $4)`,
      [job.workspaceId, job.id, seq++, JSON.stringify(chunk)],
    );
    chunk = [];
  };
  let header = true;
  try {
    for await (const record of recordsOf(db, job)) {
      if (header) {
        header = false; // read when the job was queued
        continue;
      }
      rows++;
      chunk.push(record);
      if (chunk.length === CHUNK_ROWS) await flush();
    }
  } catch (error) {
    // Counted before the job was queued, so only a file changed or stored by other means.
    if (error instanceof CsvError) throw badInput(field, error.message);
    throw unreadable(field, error);
  }
  await flush();
  await tx.query(
    `UPDATE customer_import SET csv = NULL, prepared = true, status = 'RUNNING', chunks = $3,
            rows_total = $4, started_at = now()
      WHERE workspace_id = $1 AND id = $2`,
    [job.workspaceId, job.id, seq, rows],
  );
  return 'more' as const;
}

/**
 * After these chunks the tables an import fills are analysed. Their statistics lag far
 * behind a workspace being filled: at 99,000 new customers Postgres still took them for
 * one and hashed the whole workspace for every batch's lookup (30-60 ms a statement,
 * growing). Analysing as the workspace grows by about three times keeps the estimates
 * within that factor, for under a second per analysis (four tables sampled).
 */
const ANALYZE_AFTER_CHUNK = new Set([1, 3, 10, 30, 100, 300]);
const FILLED_TABLES = 'customer, customer_phone, customer_external_id, phone_owner';

/** Upserts the job's next chunk and moves its checkpoint past it. */
async function writeChunk(
  tx: EntityManager,
  job: CustomerImportRow,
  analyseAfter: () => void,
): Promise<BatchOutcome> {
  const [chunk] = (await tx.query(
    `SELECT records FROM customer_import_chunk WHERE workspace_id = $1 AND import_id = $2 AND seq = $3`,
    [job.workspaceId, job.id, job.nextChunk],
  )) as { records: ImportRecord[] }[];
  const records = chunk?.records ?? [];
  const fields = await loadCustomFields(tx, job.workspaceId);
  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  for (const record of records) {
    const read = readRow(record, job.columns, job.header.length, fields);
    if (Array.isArray(read)) errors.push(...read);
    else rows.push(read);
  }
  if (job.dryRun) await tx.query('SAVEPOINT customer_import_dry_run');
  const result = await upsertRows(tx, job.workspaceId, rows);
  // Only an import that adds customers makes the statistics lag (a re-import spent a
  // sixth of its time analysing tables it had not changed).
  const added = !job.dryRun && job.created + result.created > 0;
  if (added && ANALYZE_AFTER_CHUNK.has(job.nextChunk + 1)) analyseAfter();
  if (job.dryRun) await tx.query('ROLLBACK TO SAVEPOINT customer_import_dry_run');
  errors.push(...result.refused);
  await insertErrors(tx, job, errors);
  await tx.query(
    `UPDATE customer_import SET next_chunk = next_chunk + 1, processed = processed + $3,
            created = created + $4, updated = updated + $5, unchanged = unchanged + $6,
            failed = failed + $7
      WHERE workspace_id = $1 AND id = $2`,
    [
      job.workspaceId,
      job.id,
      records.length,
      result.created,
      result.updated,
      result.unchanged,
      new Set(errors.map((e) => e.line)).size,
    ],
  );
  return 'more';
}

/**
 * Writes the error file, drops the chunks and marks the job DONE. An import's upload
 * goes too: what it held is in the customers now (docs/files.md, erasure). A dry run's
 * stays for the import that follows it (and expires with its day).
 */
async function finish(db: DataSource, tx: EntityManager, job: CustomerImportRow) {
  const file = job.failed > 0 ? await writeErrorFile(db, job) : null;
  if (!job.dryRun && job.uploadId !== null) {
    await deleteFile(tx, job.workspaceId, job.uploadId, { kind: 'UPLOAD' });
  }
  await tx.query(`DELETE FROM customer_import_chunk WHERE workspace_id = $1 AND import_id = $2`, [
    job.workspaceId,
    job.id,
  ]);
  await tx.query(
    `UPDATE customer_import SET status = 'DONE', error_file_id = $3, finished_at = now()
      WHERE workspace_id = $1 AND id = $2`,
    [job.workspaceId, job.id, file?.id ?? null],
  );
  return 'finished' as const;
}

/** One batch of an import: reading its file, its next chunk, or its end. */
export async function runImportBatch(db: DataSource, jobId: string): Promise<BatchOutcome> {
  let analyse = false;
  const outcome = await runImportBatchTx(db, jobId, () => (analyse = true));
  // Outside the batch's transaction: its lock is not held while the batch runs.
  if (analyse) await db.query(`ANALYZE ${FILLED_TABLES}`);
  return outcome;
}

function runImportBatchTx(
  db: DataSource,
  jobId: string,
  analyseAfter: () => void,
): Promise<BatchOutcome> {
  return db.transaction(async (tx) => {
    const [job] = (await tx.query(
      `SELECT ${IMPORT_SELECT}, i.csv FROM customer_import i WHERE i.id = $1 FOR UPDATE SKIP LOCKED`,
      [jobId],
    )) as CustomerImportRow[];
    if (!job) return 'busy';
    if (job.status === 'DONE' || job.status === 'FAILED') return 'finished';
    if (!job.prepared) return prepare(db, tx, job);
    if (job.nextChunk < job.chunks) {
      return writeChunk(tx, job, analyseAfter);
    }
    return finish(db, tx, job);
  });
}

/** The worker: each workspace's oldest unfinished import, workspaces in turn. */
export function startImportWorker(db: DataSource, logger: Logger, pollMs = 250): Worker {
  return startJobWorker(
    {
      what: 'customer import',
      pending: () =>
        db.query(
          `SELECT DISTINCT ON (workspace_id) id, workspace_id AS "workspaceId", created_at AS "createdAt"
             FROM customer_import WHERE status IN ('QUEUED', 'RUNNING')
            ORDER BY workspace_id, created_at, id`,
        ),
      runBatch: (jobId) => runImportBatch(db, jobId),
      fail: (jobId, reason) =>
        db.query(
          `WITH gone AS (DELETE FROM customer_import_chunk WHERE import_id = $1)
           UPDATE customer_import SET status = 'FAILED', failure = $2, csv = NULL, finished_at = now()
            WHERE id = $1`,
          [jobId, reason],
        ),
    },
    logger,
    pollMs,
  );
}
