import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An OA connection is a claim until the first event signed with its secret arrives:
 * several workspaces may claim one OA id, only one may have it CONNECTED.
 */
export class ZaloOAClaims1763900000420 implements MigrationInterface {
  name = 'ZaloOAClaims1763900000420';

  async up(q: QueryRunner): Promise<void> {
    // OAs connected before claims existed were connected for real: they stay so.
    await q.query(`
      ALTER TABLE zalo_oa
        ADD COLUMN status text NOT NULL DEFAULT 'CONNECTED'
          CONSTRAINT zalo_oa_status_ck CHECK (status IN ('PENDING', 'CONNECTED')),
        ADD COLUMN claimed_at timestamptz(3)`);
    await q.query('UPDATE zalo_oa SET claimed_at = connected_at');
    await q.query(`
      ALTER TABLE zalo_oa
        ALTER COLUMN status SET DEFAULT 'PENDING',
        ALTER COLUMN claimed_at SET NOT NULL,
        ALTER COLUMN claimed_at SET DEFAULT now(),
        ALTER COLUMN connected_at DROP NOT NULL,
        ALTER COLUMN connected_at DROP DEFAULT,
        DROP CONSTRAINT zalo_oa_oa_uq`);
    await q.query(
      `CREATE UNIQUE INDEX zalo_oa_connected_uq ON zalo_oa (oa_id) WHERE status = 'CONNECTED'`,
    );
    await q.query('CREATE INDEX zalo_oa_oa_idx ON zalo_oa (oa_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM zalo_oa WHERE status = 'PENDING'`);
    await q.query('DROP INDEX zalo_oa_oa_idx');
    await q.query('DROP INDEX zalo_oa_connected_uq');
    await q.query(`
      ALTER TABLE zalo_oa
        ADD CONSTRAINT zalo_oa_oa_uq UNIQUE (oa_id),
        ALTER COLUMN connected_at SET DEFAULT now(),
        ALTER COLUMN connected_at SET NOT NULL,
        DROP COLUMN claimed_at,
        DROP COLUMN status`);
  }
}
