import type { MigrationInterface, QueryRunner } from 'typeorm';

// CSV imports of order exports (issue 11): the job with its progress, the file until
// it is split into chunks of orders, the chunks until the job is done, and the
// errors of each row. Every index leads with workspace_id; the worker's query finds
// each workspace's oldest unfinished import through a partial index.
const SOURCES = `'SHOPEE', 'LAZADA', 'TIKTOK_SHOP', 'WEBSITE', 'FACEBOOK', 'ZALO', 'POS', 'OTHER'`;

export class CreateOrderImports1764600000310 implements MigrationInterface {
  name = 'CreateOrderImports1764600000310';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_import (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL REFERENCES workspace (id),
        created_by text NOT NULL,
        -- The starter's role: the upserts run with the starter's access.
        created_role text NOT NULL,
        source text NOT NULL CHECK (source IN (${SOURCES})),
        status text NOT NULL DEFAULT 'QUEUED'
          CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
        -- The file, until it is split into chunks (then null).
        csv text,
        -- Which column holds what (import.headers.ts), and the headers not read.
        columns jsonb NOT NULL,
        ignored_columns jsonb NOT NULL DEFAULT '[]',
        rows_total int NOT NULL,
        rows_processed int NOT NULL DEFAULT 0,
        orders_total int NOT NULL DEFAULT 0,
        orders_created int NOT NULL DEFAULT 0,
        orders_updated int NOT NULL DEFAULT 0,
        orders_unchanged int NOT NULL DEFAULT 0,
        orders_rejected int NOT NULL DEFAULT 0,
        error_count int NOT NULL DEFAULT 0,
        chunks int NOT NULL DEFAULT 0,
        -- Checkpoint: the next chunk to upsert.
        next_chunk int NOT NULL DEFAULT 0,
        failure text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        started_at timestamptz(3),
        finished_at timestamptz(3)
      )`);
    await q.query(
      `CREATE INDEX order_import_list_idx ON order_import (workspace_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX order_import_pending_idx ON order_import (workspace_id, created_at, id)
         WHERE status IN ('QUEUED', 'RUNNING')`,
    );
    await q.query(`
      CREATE TABLE order_import_chunk (
        workspace_id text NOT NULL,
        import_id uuid NOT NULL REFERENCES order_import (id) ON DELETE CASCADE,
        seq int NOT NULL,
        rows int NOT NULL,
        -- ImportedOrder[] (import.rows.ts): the inputs of upsertOrders and their lines.
        orders jsonb NOT NULL,
        PRIMARY KEY (workspace_id, import_id, seq)
      )`);
    await q.query(`
      CREATE TABLE order_import_error (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        import_id uuid NOT NULL REFERENCES order_import (id) ON DELETE CASCADE,
        line int NOT NULL,
        row int NOT NULL,
        code text,
        column_name text,
        message text NOT NULL
      )`);
    await q.query(
      `CREATE INDEX order_import_error_line_idx
         ON order_import_error (workspace_id, import_id, line, id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE order_import_error');
    await q.query('DROP TABLE order_import_chunk');
    await q.query('DROP TABLE order_import');
  }
}
