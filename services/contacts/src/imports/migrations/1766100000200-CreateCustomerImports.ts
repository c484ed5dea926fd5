import type { MigrationInterface, QueryRunner } from 'typeorm';

// Customer imports (issue 15): the job with its progress and checkpoint, the file's
// rows in chunks until the job is done, and the refused rows with their cells (for
// the CSV of failed rows). Every index leads with workspace_id; the worker finds each
// workspace's oldest unfinished import through a partial index.
export class CreateCustomerImports1766100000200 implements MigrationInterface {
  name = 'CreateCustomerImports1766100000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer_import (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL REFERENCES workspace (id),
        created_by text NOT NULL,
        -- The starter's role: the rows are written with the starter's access.
        created_role text NOT NULL,
        status text NOT NULL DEFAULT 'QUEUED'
          CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
        dry_run boolean NOT NULL DEFAULT false,
        format text NOT NULL CHECK (format IN ('CSV', 'XLSX')),
        -- The uploaded file (file store), or the inline CSV until it is split (then null).
        upload_id uuid,
        csv text,
        header jsonb NOT NULL,
        -- Which column holds what (import.headers.ts), and the headers not read.
        columns jsonb NOT NULL,
        ignored_columns jsonb NOT NULL DEFAULT '[]',
        prepared boolean NOT NULL DEFAULT false,
        rows_total int NOT NULL DEFAULT 0,
        processed int NOT NULL DEFAULT 0,
        created int NOT NULL DEFAULT 0,
        updated int NOT NULL DEFAULT 0,
        unchanged int NOT NULL DEFAULT 0,
        failed int NOT NULL DEFAULT 0,
        chunks int NOT NULL DEFAULT 0,
        -- Checkpoint: the next chunk to write.
        next_chunk int NOT NULL DEFAULT 0,
        error_file_id uuid,
        failure text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        started_at timestamptz(3),
        finished_at timestamptz(3)
      )`);
    await q.query(
      `CREATE INDEX customer_import_list_idx ON customer_import (workspace_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX customer_import_pending_idx ON customer_import (workspace_id, created_at, id)
         WHERE status IN ('QUEUED', 'RUNNING')`,
    );
    await q.query(`
      CREATE TABLE customer_import_chunk (
        workspace_id text NOT NULL,
        import_id uuid NOT NULL REFERENCES customer_import (id) ON DELETE CASCADE,
        seq int NOT NULL,
        -- [{ line, cells }]: the file's records as read.
        records jsonb NOT NULL,
        PRIMARY KEY (workspace_id, import_id, seq)
      )`);
    await q.query(`
      CREATE TABLE customer_import_error (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        import_id uuid NOT NULL REFERENCES customer_import (id) ON DELETE CASCADE,
        line int NOT NULL,
        column_name text,
        field text,
        message text NOT NULL,
        -- The row's cells as read, for the CSV of failed rows.
        cells jsonb NOT NULL
      )`);
    await q.query(
      `CREATE INDEX customer_import_error_line_idx
         ON customer_import_error (workspace_id, import_id, line, id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE customer_import_error');
    await q.query('DROP TABLE customer_import_chunk');
    await q.query('DROP TABLE customer_import');
  }
}
