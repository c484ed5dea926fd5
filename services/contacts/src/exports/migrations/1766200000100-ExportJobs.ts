import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exports of many customers (exports/): a job keeps what was asked (the target as
 * given, the filter it resolved to, format and columns) and where it is. `runner` and
 * `heartbeat_at` say which process is writing the file: the file is open in that
 * process's memory, so another process takes the job over (starting the file again)
 * only once the heartbeat is stale. `file_id` is the file being written, then the
 * finished one; an expired file's deletion clears it (ON DELETE SET NULL).
 */
export class ExportJobs1766200000100 implements MigrationInterface {
  name = 'ExportJobs1766200000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE export_job (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        created_by text NOT NULL,
        target jsonb NOT NULL,
        filter jsonb NOT NULL,
        format text NOT NULL CHECK (format IN ('CSV', 'JSONL')),
        columns text[] NOT NULL,
        custom_fields text[] NOT NULL,
        status text NOT NULL DEFAULT 'QUEUED'
          CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
        total int,
        processed int NOT NULL DEFAULT 0,
        file_id uuid REFERENCES stored_file (id) ON DELETE SET NULL,
        runner text,
        heartbeat_at timestamptz(3),
        error text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        finished_at timestamptz(3)
      )`);
    await q.query(
      'CREATE INDEX export_job_workspace_idx ON export_job (workspace_id, created_at DESC, id DESC)',
    );
    await q.query(
      `CREATE INDEX export_job_pending_idx ON export_job (created_at) WHERE status IN ('QUEUED', 'RUNNING')`,
    );
    await q.query('CREATE INDEX export_job_file_idx ON export_job (file_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE export_job');
  }
}
