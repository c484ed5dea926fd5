// importOrdersCsv: checks what can be checked without parsing the file (its size,
// its rows counted by a scan that builds no string, its header), then queues the
// job; the worker (import.job.ts) does the rest. A refused file makes no job.
import type { DataSource } from 'typeorm';
import { CsvError, badInput, countCsvRecords, readCsv } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import type { OrderSource } from '../orders/order.entity';
import { recogniseHeader, requireColumns } from './import.headers';
import { OrderImportEntity } from './import.entity';
import type { OrderImportRow } from './import.entity';

/** The largest file one import takes: 5 MiB of UTF-8 (the request itself is at most 8). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** The most rows after the header one import takes. */
export const MAX_IMPORT_ROWS = 20_000;

const format = (n: number) => n.toLocaleString('en-US');

/** Refuses a file over the caps, before any cell of it is parsed. */
export function checkSize(csv: string): number {
  // Counted by Node without copying the text.
  const bytes = Buffer.byteLength(csv, 'utf8');
  if (bytes > MAX_IMPORT_BYTES) {
    throw badInput(
      'csv',
      `the file is ${format(bytes)} bytes, more than the ${format(MAX_IMPORT_BYTES)} (5 MiB) one import takes: split it`,
    );
  }
  let records: number;
  try {
    records = countCsvRecords(csv);
  } catch (error) {
    if (error instanceof CsvError) throw badInput('csv', error.message);
    throw error;
  }
  if (records === 0) throw badInput('csv', 'the file is empty');
  const rows = records - 1;
  if (rows > MAX_IMPORT_ROWS) {
    throw badInput(
      'csv',
      `the file has ${format(rows)} rows after its header, more than the ${format(MAX_IMPORT_ROWS)} one import takes: split it`,
    );
  }
  if (rows === 0) throw badInput('csv', 'the file has no rows after its header');
  return rows;
}

export async function startImport(
  db: DataSource,
  identity: Identity,
  source: OrderSource,
  csv: string,
): Promise<OrderImportRow> {
  const rows = checkSize(csv);
  const first = readCsv(csv).next();
  const cells = first.done ? [] : first.value.cells;
  const header = requireColumns(recogniseHeader(cells));
  return db.getRepository(OrderImportEntity).save({
    workspaceId: identity.workspaceId,
    createdBy: identity.userId,
    createdRole: identity.role,
    source,
    status: 'QUEUED',
    csv,
    columns: { columns: header.columns, width: cells.length },
    ignoredColumns: header.ignored,
    rowsTotal: rows,
    rowsProcessed: 0,
    ordersTotal: 0,
    ordersCreated: 0,
    ordersUpdated: 0,
    ordersUnchanged: 0,
    ordersRejected: 0,
    errorCount: 0,
    chunks: 0,
    nextChunk: 0,
    failure: null,
    startedAt: null,
    finishedAt: null,
  });
}
