// startCustomerImport: checks what can be checked before any row is read — the input,
// the caps (bytes, then rows counted by a scan), the header and the mapping — then
// queues the job; the worker (import.job.ts) does the rest. A refused file makes no job.
import type { DataSource } from 'typeorm';
import {
  AuditAction,
  CsvError,
  badInput,
  countCsvRecords,
  isUuid,
  recordAudit,
} from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { loadCustomFields } from '../custom-fields/custom-field.service';
import { findFile } from '../files/file.store';
import { CustomerImportEntity } from './import.entity';
import type { CustomerImportFormat, CustomerImportRow } from './import.entity';
import { recogniseHeader, requireKeyColumn } from './import.headers';
import type { ColumnMapping } from './import.headers';
import type { ImportRecord } from './import.rows';
import { csvRecords, recordsOf, unreadable, uploadFormat } from './import.source';

/** The largest uploaded file one import reads: 32 MiB (100,000 rows are about 10 MB). */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
/** The largest file given inline (`csv`): 1 MiB of UTF-8. */
export const MAX_INLINE_BYTES = 1024 * 1024;
/** The most rows after the header one import takes. */
export const MAX_IMPORT_ROWS = 100_000;

export interface ImportInput {
  uploadId?: string | null;
  csv?: string | null;
  mapping?: ColumnMapping[] | null;
  dryRun?: boolean | null;
}

const format = (n: number) => n.toLocaleString('en-US');

function overRows(field: string, rows: number) {
  return badInput(
    field,
    `the file has ${format(rows)} rows after its header, more than the ${format(MAX_IMPORT_ROWS)} one import takes: split it`,
  );
}

/** Counts CSV records without building strings; the cap and an unclosed quote refuse. */
function countCsv(text: string, field: string): number {
  try {
    return countCsvRecords(text);
  } catch (error) {
    if (error instanceof CsvError) throw badInput(field, error.message);
    throw error;
  }
}

/** The file as a source of records, with its format and row count, within the caps. */
async function checkFile(db: DataSource, identity: Identity, input: ImportInput) {
  const { uploadId, csv } = input;
  if ((uploadId == null) === (csv == null)) {
    throw badInput('input.uploadId', 'give exactly one of uploadId and csv');
  }
  if (csv != null) {
    const bytes = Buffer.byteLength(csv, 'utf8');
    if (bytes > MAX_INLINE_BYTES) {
      throw badInput(
        'input.csv',
        `the file is ${format(bytes)} bytes, more than the ${format(MAX_INLINE_BYTES)} (1 MiB) taken inline: upload it (POST /files) and give uploadId`,
      );
    }
    return { field: 'input.csv', format: 'CSV' as const, records: countCsv(csv, 'input.csv') };
  }
  const field = 'input.uploadId';
  const file = isUuid(uploadId!) ? await findFile(db, identity.workspaceId, uploadId!) : null;
  if (!file || !file.ready || file.kind !== 'UPLOAD' || file.expiresAt < new Date()) {
    throw badInput(field, `no upload ${uploadId} in this workspace (it may have expired)`);
  }
  if (file.byteSize > MAX_IMPORT_BYTES) {
    throw badInput(
      field,
      `the file is ${format(file.byteSize)} bytes, more than the ${format(MAX_IMPORT_BYTES)} (32 MiB) one import takes: split it`,
    );
  }
  const kind: CustomerImportFormat = await uploadFormat(db, identity.workspaceId, file.id);
  // Counted by reading it through, a chunk at a time, stopping past the cap (a few
  // seconds for 100,000 XLSX rows).
  let records = 0;
  try {
    const source = recordsOf(db, { ...file, format: kind, csv: null, uploadId: file.id });
    while (!(await source.next()).done) {
      if (++records > MAX_IMPORT_ROWS + 1) {
        await source.return(undefined);
        break;
      }
    }
  } catch (error) {
    if (error instanceof CsvError) throw badInput(field, error.message);
    throw unreadable(field, error);
  }
  return { field, format: kind, records };
}

/** The header record of the file. */
async function headerOf(
  db: DataSource,
  file: {
    workspaceId: string;
    format: CustomerImportFormat;
    csv: string | null;
    uploadId: string | null;
  },
): Promise<ImportRecord | null> {
  if (file.csv !== null) return csvRecords(file.csv).next().value ?? null;
  for await (const record of recordsOf(db, file)) return record;
  return null;
}

export async function startImport(
  db: DataSource,
  identity: Identity,
  input: ImportInput,
): Promise<CustomerImportRow> {
  const checked = await checkFile(db, identity, input);
  if (checked.records === 0) throw badInput(checked.field, 'the file is empty');
  const rows = checked.records - 1;
  if (rows > MAX_IMPORT_ROWS) throw overRows(checked.field, rows);
  if (rows === 0) throw badInput(checked.field, 'the file has no rows after its header');
  const file = {
    workspaceId: identity.workspaceId,
    format: checked.format,
    csv: input.csv ?? null,
    uploadId: input.uploadId ?? null,
  };
  const header = (await headerOf(db, file))!;
  const fields = await loadCustomFields(db, identity.workspaceId);
  const mapped = requireKeyColumn(
    recogniseHeader(header.cells, fields, input.mapping ?? []),
    input.mapping?.length ? 'input.mapping' : checked.field,
  );
  // The job and its audit entry commit together.
  return db.transaction(async (tx) => {
    const job = await tx.getRepository(CustomerImportEntity).save({
      ...file,
      createdBy: identity.userId,
      createdRole: identity.role,
      status: 'QUEUED',
      dryRun: input.dryRun ?? false,
      header: header.cells,
      columns: mapped.columns,
      ignoredColumns: mapped.ignored,
      prepared: false,
      rowsTotal: 0,
      processed: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      failed: 0,
      chunks: 0,
      nextChunk: 0,
      errorFileId: null,
      failure: null,
      startedAt: null,
      finishedAt: null,
    });
    await recordAudit(tx, identity, {
      action: AuditAction.CUSTOMERS_IMPORTED,
      targetType: 'ImportJob',
      targetIds: [job.id],
      detail: { format: job.format, rows, dryRun: job.dryRun },
    });
    return job;
  });
}
