// Export jobs run by the runtime's job worker, one batch at a time, workspaces in turn.
//
// A file is written through the store's FileWriter, which lives in this process's
// memory: so a job is claimed by one process (`runner`, refreshed `heartbeat_at`)
// while its file is open, and each batch reads the next BATCH_ROWS customers after
// the last one written, in (created_at, id) order, and appends their lines. Memory
// is one batch of rows and one chunk of file per open export, and at most MAX_OPEN
// exports are open in a process at once (others wait their turn).
//
// A restart starts the file again from the beginning: a process that stops closes
// its open exports (their partial files deleted) and releases the jobs, which the
// next worker starts over; one that dies leaves a heartbeat that goes stale after
// RUNNER_STALE_MS, after which any worker takes the job over the same way.
//
// Which customers: those matching the job's filter (compiled once, when the file
// starts) and created before the job was asked for. There is no snapshot: a customer
// changed during the export is written as it is when its batch is read, one deleted
// before its batch is not written, one created meanwhile is not (see docs/exports.md).
import type { DataSource } from 'typeorm';
import { startJobWorker, uuidv7 } from '@customer-graph/runtime';
import type { BatchOutcome, JobQueue, Logger, PendingJob, Worker } from '@customer-graph/runtime';
import { compileWhere } from '../customers/customer.list';
import type { CompiledWhere } from '../customers/customer.list';
import type { CustomerFilterInput } from '../filter/filter.types';
import { deleteFile, openFileWriter } from '../files/file.store';
import type { FileWriter } from '../files/file.store';
import { recordOf, rowJson } from './export.columns';
import type { ExportLayout, ExportRecord } from './export.columns';
import { exportWriter, fileMeta } from './export.format';
import type { ExportWriter } from './export.format';
import type { ExportJobRow } from './export-job.types';

/** Customers read per statement. */
export const BATCH_ROWS = 2_500;
/** Exports a process writes at once. */
export const MAX_OPEN = 4;
/** A heartbeat older than this: the process writing the file is gone. */
export const RUNNER_STALE_MS = 30_000;

interface OpenExport {
  writer: FileWriter;
  out: ExportWriter;
  layout: ExportLayout;
  where: CompiledWhere;
  /** Customers created after this are not exported. */
  cutoff: Date;
  after: { createdAt: string; id: string } | null;
  /** The next batch, asked for while this one is written (Postgres and Node overlap). */
  next: Promise<ExportRecord[]> | null;
}

export interface ExportWorkerOptions {
  pollMs?: number;
  batchRows?: number;
  staleMs?: number;
}

type Claimed = Pick<
  ExportJobRow,
  | 'id'
  | 'workspaceId'
  | 'createdBy'
  | 'filter'
  | 'format'
  | 'columns'
  | 'customFields'
  | 'fileId'
  | 'createdAt'
>;

/** One process's side of export jobs: the job worker's queue, and closing what is open. */
export interface ExportRunner extends JobQueue {
  /** Closes this process's open exports (their partial files deleted) and frees the jobs. */
  release(): Promise<void>;
}

export function createExportRunner(
  db: DataSource,
  logger: Logger,
  options: ExportWorkerOptions = {},
): ExportRunner {
  const runner = uuidv7();
  const batchRows = options.batchRows ?? BATCH_ROWS;
  const staleSecs = (options.staleMs ?? RUNNER_STALE_MS) / 1000;
  const open = new Map<string, OpenExport>();

  /** Deletes a file that was being written (an earlier attempt's, or ours). */
  const dropFile = async (workspaceId: string, fileId: string | null) => {
    if (fileId) await deleteFile(db, workspaceId, fileId, { unfinished: true });
  };

  const close = async (jobId: string) => {
    const current = open.get(jobId);
    open.delete(jobId);
    await current?.writer.abort();
  };

  /** Takes the job for this process when it is free, ours, or its runner is gone. */
  const claim = async (jobId: string): Promise<Claimed | null> => {
    const [rows] = (await db.query(
      `UPDATE export_job SET runner = $2, heartbeat_at = now()
        WHERE id = $1 AND status IN ('QUEUED', 'RUNNING')
          AND (runner IS NULL OR runner = $2 OR heartbeat_at < now() - make_interval(secs => $3))
        RETURNING id, workspace_id AS "workspaceId", created_by AS "createdBy", filter, format,
                  columns, custom_fields AS "customFields", file_id AS "fileId",
                  created_at AS "createdAt"`,
      [jobId, runner, staleSecs],
    )) as [Claimed[], number];
    return rows[0] ?? null;
  };

  /** Opens the file from its beginning: any earlier attempt's file is deleted. */
  const start = async (job: Claimed): Promise<OpenExport> => {
    await dropFile(job.workspaceId, job.fileId);
    const scope = { workspaceId: job.workspaceId, staffUserId: null };
    const where = await compileWhere(db, scope, job.filter as CustomerFilterInput);
    const cutoffAt = where.params.values.length + 1;
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM customer c
        WHERE ${where.sql} AND c.created_at <= $${cutoffAt}::timestamptz`,
      [...where.params.values, job.createdAt],
    );
    const layout = { columns: job.columns, customFields: job.customFields };
    const out = exportWriter(job.format, layout);
    const writer = await openFileWriter(db, {
      workspaceId: job.workspaceId,
      kind: 'EXPORT',
      ...fileMeta(job.format, job.createdAt),
      createdBy: job.createdBy,
      capability: 'customers.export',
    });
    await writer.write(out.head());
    await db.query(
      `UPDATE export_job SET status = 'RUNNING', total = $3, processed = 0, file_id = $4
        WHERE id = $1 AND runner = $2`,
      [job.id, runner, n, writer.id],
    );
    const opened: OpenExport = {
      writer,
      out,
      layout,
      where,
      cutoff: job.createdAt,
      after: null,
      next: null,
    };
    open.set(job.id, opened);
    return opened;
  };

  const readBatch = async (state: OpenExport): Promise<ExportRecord[]> => {
    const params = [...state.where.params.values];
    const add = (value: unknown) => `$${params.push(value)}`;
    const row = rowJson(state.layout, add);
    const after = state.after
      ? `AND (c.created_at, c.id) > (${add(state.after.createdAt)}::timestamptz, ${add(state.after.id)}::uuid)`
      : '';
    const rows = (await db.query(
      `SELECT ${row} AS v FROM customer c
        WHERE ${state.where.sql} AND c.created_at <= ${add(state.cutoff)}::timestamptz ${after}
        ORDER BY c.created_at, c.id LIMIT ${batchRows}`,
      params,
    )) as { v: string }[];
    return rows.map((r) => recordOf(r.v));
  };

  const runBatch = async (jobId: string): Promise<BatchOutcome> => {
    const job = await claim(jobId);
    if (!job) {
      // Done, failed, or another process's now: what we had open of it is not ours.
      open.delete(jobId);
      return 'busy';
    }
    try {
      const state = open.get(jobId) ?? (await start(job));
      const rows = await (state.next ?? readBatch(state));
      state.next = null;
      const more = rows.length === batchRows;
      if (rows.length > 0) {
        const last = rows[rows.length - 1];
        state.after = { createdAt: last.createdAt, id: last.id };
        if (more) {
          state.next = readBatch(state);
          // Dropped unread when the export closes; its failure is the next batch's.
          state.next.catch(() => undefined);
        }
        await state.writer.write(rows.map((record) => state.out.line(record)).join(''));
      }
      if (!more) await state.writer.finish();
      const [, updated] = (await db.query(
        `UPDATE export_job SET processed = processed + $3, heartbeat_at = now(),
                status = CASE WHEN $4 THEN status ELSE 'DONE' END,
                runner = CASE WHEN $4 THEN runner END,
                finished_at = CASE WHEN $4 THEN NULL ELSE now() END
          WHERE id = $1 AND runner = $2`,
        [jobId, runner, rows.length, more],
      )) as [unknown, number];
      if (!more) open.delete(jobId);
      if (updated === 0) {
        await close(jobId);
        return 'busy';
      }
      return more ? 'more' : 'finished';
    } catch (error) {
      // The file is started again at the next attempt (the job worker retries).
      await close(jobId).catch(() => undefined);
      throw error;
    }
  };

  return {
    what: 'export job',
    pending: async () => {
      const jobs: PendingJob[] = await db.query(
        `SELECT DISTINCT ON (workspace_id) id, workspace_id AS "workspaceId", created_at AS "createdAt"
           FROM export_job
          WHERE status IN ('QUEUED', 'RUNNING')
            AND (runner IS NULL OR runner = $1 OR heartbeat_at < now() - make_interval(secs => $2))
          ORDER BY workspace_id, created_at, id`,
        [runner, staleSecs],
      );
      // At most MAX_OPEN files open here: when full, only those go on.
      return open.size >= MAX_OPEN ? jobs.filter((j) => open.has(j.id)) : jobs;
    },
    runBatch,
    fail: async (jobId, reason) => {
      await close(jobId).catch(() => undefined);
      const [rows] = (await db.query(
        `UPDATE export_job SET status = 'FAILED', error = $2, finished_at = now(), runner = NULL
          WHERE id = $1 RETURNING workspace_id AS "workspaceId", file_id AS "fileId"`,
        [jobId, reason],
      )) as [{ workspaceId: string; fileId: string | null }[], number];
      if (rows[0]) await dropFile(rows[0].workspaceId, rows[0].fileId);
    },
    release: async () => {
      for (const jobId of [...open.keys()]) {
        await close(jobId).catch((error: Error) =>
          logger.warn('could not delete an unfinished export file', { error: error.message }),
        );
        await db.query(
          `UPDATE export_job SET runner = NULL, heartbeat_at = NULL WHERE id = $1 AND runner = $2`,
          [jobId, runner],
        );
      }
    },
  };
}

/** Runs export jobs in the background until stopped; stopping releases open exports. */
export function startExportWorker(
  db: DataSource,
  logger: Logger,
  options: ExportWorkerOptions = {},
): Worker {
  const runner = createExportRunner(db, logger, options);
  const worker = startJobWorker(runner, logger, options.pollMs);
  return {
    stop: async () => {
      await worker.stop();
      // Open files cannot be resumed by another process: delete them, free the jobs.
      await runner.release();
    },
  };
}
