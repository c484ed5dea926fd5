import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateZaloOA1763900000410 implements MigrationInterface {
  name = 'CreateZaloOA1763900000410';

  async up(q: QueryRunner): Promise<void> {
    // One OA per workspace; an OA belongs to one workspace.
    await q.query(`
      CREATE TABLE zalo_oa (
        workspace_id text PRIMARY KEY REFERENCES workspace (id),
        oa_id text NOT NULL,
        app_id text NOT NULL,
        secret_key text NOT NULL,
        connected_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT zalo_oa_oa_uq UNIQUE (oa_id)
      )`);
    // Two Zalo accounts may share a phone and so one customer: the link is not unique.
    await q.query('DROP INDEX zalo_follower_customer_uq');
    await q.query(
      'CREATE INDEX zalo_follower_customer_idx ON zalo_follower (workspace_id, customer_id)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX zalo_follower_customer_idx');
    await q.query(
      `CREATE UNIQUE INDEX zalo_follower_customer_uq
         ON zalo_follower (workspace_id, customer_id) WHERE customer_id IS NOT NULL`,
    );
    await q.query('DROP TABLE zalo_oa');
  }
}
