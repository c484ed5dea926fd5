import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sender and the sandbox provider (docs/marketing.md, "Campaigns and sending").
 *
 * - marketing_message.sending_since: when the sender handed the message to its provider
 *   (send_state SENDING). A message still SENDING long after (the process died before
 *   storing the answer) is sent again with the same id, which providers dedupe on.
 * - sandbox_provider_message: what the embedded sandbox provider accepted, one row per
 *   (channel, idempotency key = our message id): a second send of the same id answers
 *   the first's provider id. Its outcome is decided at acceptance; its delivery report
 *   is posted to our own webhooks once due (report_due_at), then reported_at is set.
 */
export class CampaignSending1765400000200 implements MigrationInterface {
  name = 'CampaignSending1765400000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE marketing_message ADD COLUMN sending_since timestamptz(3)');
    await q.query(`
      CREATE TABLE sandbox_provider_message (
        channel text NOT NULL,
        idempotency_key text NOT NULL,
        provider_message_id text NOT NULL,
        workspace_id text NOT NULL,
        address text NOT NULL,
        accepted_at timestamptz(3) NOT NULL DEFAULT now(),
        outcome text NOT NULL CHECK (outcome IN ('DELIVERED', 'OPENED', 'CLICKED', 'FAILED')),
        reason text,
        report_due_at timestamptz(3),
        reported_at timestamptz(3),
        PRIMARY KEY (channel, idempotency_key)
      )`);
    await q.query(`CREATE INDEX sandbox_provider_message_due_idx
      ON sandbox_provider_message (report_due_at) WHERE reported_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE sandbox_provider_message');
    await q.query('ALTER TABLE marketing_message DROP COLUMN sending_since');
  }
}
