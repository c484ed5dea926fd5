// An export job as stored (export_job) and as the resolvers read it: the job row with
// its file, when the file is ready and not expired.
import type { CustomerExportColumn } from '../generated/graphql';
import type { StoredFile } from '../files/file.store';

export type ExportFormat = 'CSV' | 'JSONL';
export type ExportStatus = 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';

export interface ExportJobRow {
  id: string;
  workspaceId: string;
  createdBy: string;
  /** What was asked for, as given: `{ filter }`, `{ listId }` or `{ listId, split }`. */
  target: Record<string, unknown>;
  /** The customer filter the target resolved to (a split group: the list and a range). */
  filter: Record<string, unknown>;
  format: ExportFormat;
  columns: CustomerExportColumn[];
  customFields: string[];
  status: ExportStatus;
  total: number | null;
  processed: number;
  fileId: string | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  /** The finished file while it can be downloaded (ready, not expired); else null. */
  file: StoredFile | null;
}

/** The job's columns; `j` is export_job, `f` the stored file joined on it. */
export const JOB_SELECT = `j.id, j.workspace_id AS "workspaceId", j.created_by AS "createdBy",
  j.target, j.filter, j.format, j.columns, j.custom_fields AS "customFields", j.status,
  j.total, j.processed, j.file_id AS "fileId", j.error, j.created_at AS "createdAt",
  j.finished_at AS "finishedAt",
  CASE WHEN j.status = 'DONE' AND f.ready AND f.expires_at > now() THEN jsonb_build_object(
    'id', f.id, 'workspaceId', f.workspace_id, 'kind', f.kind, 'name', f.name,
    'contentType', f.content_type, 'capability', f.capability, 'byteSize', f.byte_size,
    'createdBy', f.created_by, 'createdAt', f.created_at, 'expiresAt', f.expires_at,
    'ready', f.ready) END AS file`;

export const JOB_FROM = `export_job j
  LEFT JOIN stored_file f ON f.workspace_id = j.workspace_id AND f.id = j.file_id`;

/** The file read back from JSON: dates and the size as the store gives them. */
export function fileOf(row: ExportJobRow): StoredFile | null {
  const file = row.file as unknown as Record<string, unknown> | null;
  if (!file) return null;
  return {
    ...(file as unknown as StoredFile),
    byteSize: Number(file.byteSize),
    createdAt: new Date(file.createdAt as string),
    expiresAt: new Date(file.expiresAt as string),
  };
}
