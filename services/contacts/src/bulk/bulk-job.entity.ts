import { EntitySchema } from 'typeorm';

export type BulkJobStatus = 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';

export interface BulkJobRow {
  id: string;
  workspaceId: string;
  createdBy: string;
  staffScope: string | null;
  filter: Record<string, unknown>;
  action: Record<string, unknown>;
  status: BulkJobStatus;
  total: number;
  processed: number;
  failed: number;
  /** Checkpoint: the last customer handled, in (created_at, id) order. */
  afterCreatedAt: Date | null;
  afterId: string | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export const BulkJobEntity = new EntitySchema<BulkJobRow>({
  name: 'BulkJob',
  tableName: 'bulk_job',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    workspaceId: { name: 'workspace_id', type: 'text' },
    createdBy: { name: 'created_by', type: 'text' },
    staffScope: { name: 'staff_scope', type: 'text', nullable: true },
    filter: { type: 'jsonb' },
    action: { type: 'jsonb' },
    status: { type: 'text' },
    total: { type: 'int' },
    processed: { type: 'int' },
    failed: { type: 'int' },
    afterCreatedAt: { name: 'after_created_at', type: 'timestamptz', precision: 3, nullable: true },
    afterId: { name: 'after_id', type: 'uuid', nullable: true },
    error: { type: 'text', nullable: true },
    createdAt: { name: 'created_at', type: 'timestamptz', precision: 3, createDate: true },
    finishedAt: { name: 'finished_at', type: 'timestamptz', precision: 3, nullable: true },
  },
});
