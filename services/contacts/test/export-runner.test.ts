// Export jobs batch by batch (exports/export.worker.ts), stepped by hand so nothing
// depends on timing: progress after each batch; a process that stops mid-way deletes
// its partial file and the next one writes the file from the beginning; a process
// that dies is taken over once its heartbeat is stale; a customer deleted or created
// during an export.
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  createLogger,
  openDatabase,
  subgraphDatabaseOptions,
  useAuditSink,
} from '@customer-graph/runtime';
import { createTestDatabase } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { readFileChunks } from '../src/files/file.store';
import { createExportRunner } from '../src/exports/export.worker';
import type { ExportRunner } from '../src/exports/export.worker';
import { startExport } from '../src/exports/export.service';
import { storeAuditEntry } from '../src/audit/audit.store';

const ws = `export-runner-${randomUUID().slice(0, 8)}`;
const CUSTOMERS = 2_000;
const BATCH = 400;
const logger = createLogger('error');

let db: DataSource;

beforeAll(async () => {
  const url = await createTestDatabase('contacts-export-runner');
  db = await openDatabase(subgraphDatabaseOptions(contactsSubgraph, url));
  // As the started subgraph does: its audit entries go to its own table.
  useAuditSink(db, storeAuditEntry);
  await db.query('INSERT INTO workspace (id) VALUES ($1)', [ws]);
  await db.query(
    `INSERT INTO customer (workspace_id, name, created_at)
     SELECT $1, 'Khách ' || i, timestamptz '2025-01-01' + i * interval '1 second'
       FROM generate_series(1, $2) AS i`,
    [ws, CUSTOMERS],
  );
}, 60_000);

afterAll(() => db?.destroy());

const runner = () => createExportRunner(db, logger, { batchRows: BATCH });

const newJob = async () =>
  (
    await startExport(
      db,
      { workspaceId: ws, staffUserId: null, customFields: new Map() },
      { workspaceId: ws, userId: 'admin-1', role: 'admin' },
      {
        target: { filter: {} },
        columns: ['NAME'],
      },
    )
  ).id;

const jobRow = async (id: string) =>
  (
    await db.query(
      'SELECT status, total, processed, file_id AS "fileId", runner FROM export_job WHERE id = $1',
      [id],
    )
  )[0] as { status: string; total: number; processed: number; fileId: string; runner: string };

async function names(fileId: string): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of readFileChunks(db, ws, fileId)) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8').split('\r\n').slice(1, -1);
}

const expected = (count = CUSTOMERS) => Array.from({ length: count }, (_, i) => `Khách ${i + 1}`);

async function finish(r: ExportRunner, id: string): Promise<void> {
  while ((await r.runBatch(id)) === 'more');
}

it('counts progress batch by batch up to the total', async () => {
  const id = await newJob();
  expect(await jobRow(id)).toMatchObject({ status: 'QUEUED', total: null, processed: 0 });
  const r = runner();
  const seen: [string, string, number][] = [];
  for (;;) {
    const outcome = await r.runBatch(id);
    const job = await jobRow(id);
    seen.push([outcome, job.status, job.processed]);
    if (outcome !== 'more') break;
  }
  expect(seen).toEqual([
    ['more', 'RUNNING', 400],
    ['more', 'RUNNING', 800],
    ['more', 'RUNNING', 1200],
    ['more', 'RUNNING', 1600],
    ['more', 'RUNNING', 2000],
    ['finished', 'DONE', 2000],
  ]);
  const job = await jobRow(id);
  expect(job).toMatchObject({ total: CUSTOMERS, runner: null });
  expect(await names(job.fileId)).toEqual(expected());
});

it('starts the file again after a process stops mid-way, each customer written once', async () => {
  const id = await newJob();
  const first = runner();
  await first.runBatch(id);
  await first.runBatch(id);
  const partial = (await jobRow(id)).fileId;
  expect((await jobRow(id)).processed).toBe(800);
  await first.release();
  expect(await jobRow(id)).toMatchObject({ status: 'RUNNING', runner: null });
  const [{ n }] = await db.query('SELECT count(*)::int AS n FROM stored_file WHERE id = $1', [
    partial,
  ]);
  expect(n).toBe(0);

  const second = runner();
  expect((await second.pending()).map((j) => j.id)).toContain(id);
  await second.runBatch(id);
  expect((await jobRow(id)).processed).toBe(BATCH);
  await finish(second, id);
  const job = await jobRow(id);
  expect(job).toMatchObject({ status: 'DONE', processed: CUSTOMERS });
  expect(await names(job.fileId)).toEqual(expected());
});

it('takes over the job of a process that died, once its heartbeat is stale', async () => {
  const id = await newJob();
  const dead = runner();
  await dead.runBatch(id);
  const partial = (await jobRow(id)).fileId;
  const other = runner();
  expect((await other.pending()).map((j) => j.id)).not.toContain(id);
  expect(await other.runBatch(id)).toBe('busy');

  await db.query(`UPDATE export_job SET heartbeat_at = now() - interval '1 hour' WHERE id = $1`, [
    id,
  ]);
  expect((await other.pending()).map((j) => j.id)).toContain(id);
  await finish(other, id);
  const job = await jobRow(id);
  expect(job).toMatchObject({ status: 'DONE', processed: CUSTOMERS });
  expect(job.fileId).not.toBe(partial);
  expect(await names(job.fileId)).toEqual(expected());
  const [{ n }] = await db.query('SELECT count(*)::int AS n FROM stored_file WHERE id = $1', [
    partial,
  ]);
  expect(n).toBe(0);
  // The dead process, were it to wake up, writes nothing more.
  expect(await dead.runBatch(id)).toBe('busy');
  expect(await names(job.fileId)).toEqual(expected());
});

it('skips a customer deleted before its batch and one created after the job was asked for', async () => {
  const id = await newJob();
  const r = runner();
  await r.runBatch(id);
  await db.query(`DELETE FROM customer WHERE workspace_id = $1 AND name = 'Khách 1500'`, [ws]);
  await db.query(
    `INSERT INTO customer (workspace_id, name, created_at) VALUES ($1, 'Khách mới', now())`,
    [ws],
  );
  await finish(r, id);
  const job = await jobRow(id);
  expect(job).toMatchObject({ status: 'DONE', total: CUSTOMERS, processed: CUSTOMERS - 1 });
  expect(await names(job.fileId)).toEqual(expected().filter((n) => n !== 'Khách 1500'));
});
