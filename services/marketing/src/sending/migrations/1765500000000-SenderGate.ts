import type { MigrationInterface, QueryRunner } from 'typeorm';

// The sender asks the campaign table whether a channel has anything to send before it
// touches the partitioned message table (sender.store.ts, hasCampaignSending).
export class SenderGate1765500000000 implements MigrationInterface {
  name = 'SenderGate1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX campaign_sending_idx ON campaign (channel, updated_at)
      WHERE status IN ('SENDING', 'CANCELLED')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX campaign_sending_idx');
  }
}
