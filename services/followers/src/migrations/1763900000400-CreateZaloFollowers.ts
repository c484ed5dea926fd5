import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateZaloFollowers1763900000400 implements MigrationInterface {
  name = 'CreateZaloFollowers1763900000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE zalo_follower (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL REFERENCES workspace (id),
        zalo_user_id text NOT NULL,
        display_name text,
        gender text CHECK (gender IN ('MALE', 'FEMALE')),
        followed_at timestamptz(3) NOT NULL,
        status text NOT NULL CHECK (status IN ('FOLLOWING', 'UNFOLLOWED')),
        phone text,
        customer_id uuid,
        CONSTRAINT zalo_follower_user_uq UNIQUE (workspace_id, zalo_user_id)
      )`);
    await q.query(
      `CREATE INDEX zalo_follower_followed_idx
         ON zalo_follower (workspace_id, followed_at DESC, id DESC)`,
    );
    // One follower per customer in a workspace (one OA per workspace).
    await q.query(
      `CREATE UNIQUE INDEX zalo_follower_customer_uq
         ON zalo_follower (workspace_id, customer_id) WHERE customer_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE zalo_follower');
  }
}
