import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Custom field definitions and the workspace plan that gates them; saved lists;
 * background bulk jobs (their checkpoint is the last (created_at, id) handled, so a
 * restarted job goes on from there); per-user views.
 */
export class FieldsListsJobsViews1763900000140 implements MigrationInterface {
  name = 'FieldsListsJobsViews1763900000140';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE workspace ADD COLUMN plan text NOT NULL DEFAULT 'FREE'
        CHECK (plan IN ('FREE', 'TRIAL', 'ADVANCED', 'PREMIUM'))`);
    await q.query(`
      CREATE TABLE custom_field (
        workspace_id text NOT NULL REFERENCES workspace (id),
        key text NOT NULL,
        label text NOT NULL,
        type text NOT NULL
          CHECK (type IN ('TEXT', 'NUMBER', 'DATE', 'BOOLEAN', 'SELECT', 'MULTI_SELECT', 'TABLE')),
        options jsonb NOT NULL DEFAULT '[]',
        columns jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, key)
      )`);
    await q.query(`
      CREATE TABLE customer_list (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL REFERENCES workspace (id),
        name text NOT NULL,
        filter jsonb NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(
      'CREATE UNIQUE INDEX customer_list_name_uq ON customer_list (workspace_id, lower(name))',
    );
    await q.query(`
      CREATE TABLE bulk_job (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL REFERENCES workspace (id),
        created_by text NOT NULL,
        -- The starter's staff scope (their user id when they are staff), applied again
        -- to every batch: a job never reaches further than its starter could.
        staff_scope text,
        filter jsonb NOT NULL,
        action jsonb NOT NULL,
        status text NOT NULL DEFAULT 'QUEUED'
          CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
        total int NOT NULL,
        processed int NOT NULL DEFAULT 0,
        failed int NOT NULL DEFAULT 0,
        after_created_at timestamptz(3),
        after_id uuid,
        error text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        finished_at timestamptz(3)
      )`);
    await q.query(
      `CREATE INDEX bulk_job_pending_idx ON bulk_job (created_at) WHERE status IN ('QUEUED', 'RUNNING')`,
    );
    await q.query(`
      CREATE TABLE user_view (
        workspace_id text NOT NULL REFERENCES workspace (id),
        user_id text NOT NULL,
        list_columns text[],
        saved_filter jsonb,
        apply_saved_filter boolean NOT NULL DEFAULT false,
        detail_tabs text[],
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, user_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE user_view');
    await q.query('DROP TABLE bulk_job');
    await q.query('DROP TABLE customer_list');
    await q.query('DROP TABLE custom_field');
    await q.query('ALTER TABLE workspace DROP COLUMN plan');
  }
}
