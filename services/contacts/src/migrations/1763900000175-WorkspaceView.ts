import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The workspace's default view of the customer screens (seed 003, "Cách 2"): the
 * detail tabs an admin chose for users who saved none of their own. No row, or null
 * tabs: the built-in default.
 */
export class WorkspaceView1763900000175 implements MigrationInterface {
  name = 'WorkspaceView1763900000175';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workspace_view (
        workspace_id text PRIMARY KEY REFERENCES workspace (id),
        detail_tabs text[],
        updated_by text NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE workspace_view');
  }
}
