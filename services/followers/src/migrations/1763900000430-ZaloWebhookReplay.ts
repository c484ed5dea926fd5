import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Replayed and reordered webhooks: deliveries already applied (kept for as long as
 * their timestamp is fresh enough to be accepted, then pruned), and per follower the
 * time of the follow/unfollow event its status comes from.
 */
export class ZaloWebhookReplay1763900000430 implements MigrationInterface {
  name = 'ZaloWebhookReplay1763900000430';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE zalo_webhook_seen (
        oa_id text NOT NULL,
        body_sha256 bytea NOT NULL,
        received_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT zalo_webhook_seen_pk PRIMARY KEY (oa_id, body_sha256)
      )`);
    await q.query('CREATE INDEX zalo_webhook_seen_received_idx ON zalo_webhook_seen (received_at)');
    await q.query('ALTER TABLE zalo_follower ADD COLUMN status_event_at timestamptz(3)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE zalo_follower DROP COLUMN status_event_at');
    await q.query('DROP TABLE zalo_webhook_seen');
  }
}
