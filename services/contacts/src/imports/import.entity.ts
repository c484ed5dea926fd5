import { EntitySchema } from 'typeorm';
import type { ImportColumn } from './import.headers';

export type CustomerImportStatus = 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';
export type CustomerImportFormat = 'CSV' | 'XLSX';

export interface CustomerImportRow {
  id: string;
  workspaceId: string;
  createdBy: string;
  createdRole: string;
  status: CustomerImportStatus;
  dryRun: boolean;
  format: CustomerImportFormat;
  /** The uploaded file (file store), when the import names one. */
  uploadId: string | null;
  /** An inline CSV file, until it is split into chunks (then null). */
  csv: string | null;
  /** The header row's cells as written. */
  header: string[];
  /** The columns read, by position in the header. */
  columns: ImportColumn[];
  ignoredColumns: string[];
  /** Whether the file was split into chunks (the first batch). */
  prepared: boolean;
  rowsTotal: number;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  chunks: number;
  /** Checkpoint: the next chunk to write. */
  nextChunk: number;
  errorFileId: string | null;
  failure: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const int = (name: string) => ({ name, type: 'int' as const });
const instant = (name: string) => ({
  name,
  type: 'timestamptz' as const,
  precision: 3,
  nullable: true,
});

export const CustomerImportEntity = new EntitySchema<CustomerImportRow>({
  name: 'CustomerImport',
  tableName: 'customer_import',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    workspaceId: { name: 'workspace_id', type: 'text' },
    createdBy: { name: 'created_by', type: 'text' },
    createdRole: { name: 'created_role', type: 'text' },
    status: { type: 'text' },
    dryRun: { name: 'dry_run', type: 'boolean' },
    format: { type: 'text' },
    uploadId: { name: 'upload_id', type: 'uuid', nullable: true },
    csv: { type: 'text', nullable: true },
    header: { type: 'jsonb' },
    columns: { type: 'jsonb' },
    ignoredColumns: { name: 'ignored_columns', type: 'jsonb' },
    prepared: { type: 'boolean' },
    rowsTotal: int('rows_total'),
    processed: int('processed'),
    created: int('created'),
    updated: int('updated'),
    unchanged: int('unchanged'),
    failed: int('failed'),
    chunks: int('chunks'),
    nextChunk: int('next_chunk'),
    errorFileId: { name: 'error_file_id', type: 'uuid', nullable: true },
    failure: { type: 'text', nullable: true },
    createdAt: {
      name: 'created_at',
      type: 'timestamptz',
      precision: 3,
      createDate: true,
    },
    startedAt: instant('started_at'),
    finishedAt: instant('finished_at'),
  },
});

/**
 * The columns of `customer_import i` as CustomerImportRow properties, for raw SQL; an
 * inline file (up to 1 MiB) is left out and read as null.
 */
export const IMPORT_SELECT = Object.entries(CustomerImportEntity.options.columns)
  .filter(([prop]) => prop !== 'csv')
  .map(([prop, col]) => `i.${(col as { name?: string }).name ?? prop} AS "${prop}"`)
  .join(', ');

/** One refused row of an import. */
export interface CustomerImportErrorRow {
  id: string;
  importId: string;
  line: number;
  /** The header of the column at fault, as written; null for the row as a whole. */
  column: string | null;
  field: string | null;
  message: string;
}
