import { EntitySchema } from 'typeorm';
import type { OrderSource } from '../orders/order.entity';
import type { Column, ImportField } from './import.headers';

export type OrderImportStatus = 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';

/** Which column holds each field, and how many cells the header has. */
export interface ImportColumns {
  columns: Partial<Record<ImportField, Column>>;
  width: number;
}

export interface OrderImportRow {
  id: string;
  workspaceId: string;
  createdBy: string;
  createdRole: string;
  source: OrderSource;
  status: OrderImportStatus;
  /** The file, until it is split into chunks. */
  csv: string | null;
  columns: ImportColumns;
  ignoredColumns: string[];
  rowsTotal: number;
  rowsProcessed: number;
  ordersTotal: number;
  ordersCreated: number;
  ordersUpdated: number;
  ordersUnchanged: number;
  ordersRejected: number;
  errorCount: number;
  chunks: number;
  nextChunk: number;
  failure: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const int = (name: string) => ({ name, type: 'int' as const });
const instant = (name: string, nullable = true) => ({
  name,
  type: 'timestamptz' as const,
  precision: 3,
  nullable,
});

export const OrderImportEntity = new EntitySchema<OrderImportRow>({
  name: 'OrderImport',
  tableName: 'order_import',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    workspaceId: { name: 'workspace_id', type: 'text' },
    createdBy: { name: 'created_by', type: 'text' },
    createdRole: { name: 'created_role', type: 'text' },
    source: { type: 'text' },
    status: { type: 'text' },
    csv: { type: 'text', nullable: true },
    columns: { type: 'jsonb' },
    ignoredColumns: { name: 'ignored_columns', type: 'jsonb' },
    rowsTotal: int('rows_total'),
    rowsProcessed: int('rows_processed'),
    ordersTotal: int('orders_total'),
    ordersCreated: int('orders_created'),
    ordersUpdated: int('orders_updated'),
    ordersUnchanged: int('orders_unchanged'),
    ordersRejected: int('orders_rejected'),
    errorCount: int('error_count'),
    chunks: int('chunks'),
    nextChunk: int('next_chunk'),
    failure: { type: 'text', nullable: true },
    createdAt: { ...instant('created_at', false), createDate: true },
    startedAt: instant('started_at'),
    finishedAt: instant('finished_at'),
  },
});

/** One error of an import, on one row. */
export interface OrderImportErrorRow {
  id: string;
  importId: string;
  line: number;
  row: number;
  code: string | null;
  column: string | null;
  message: string;
}

/**
 * The columns of `order_import o` as OrderImportRow properties, for raw SQL; the file
 * itself (up to 5 MiB) is left out and read as null.
 */
export const IMPORT_SELECT = Object.entries(OrderImportEntity.options.columns)
  .filter(([prop]) => prop !== 'csv')
  .map(([prop, col]) => `o.${(col as { name?: string }).name ?? prop} AS "${prop}"`)
  .join(', ');
