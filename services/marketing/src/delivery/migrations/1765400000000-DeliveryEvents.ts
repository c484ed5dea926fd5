import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery reports (docs/marketing.md, "Delivery events"):
 * - webhook_delivery: the SHA-256 of each email/SMS webhook body applied, kept while its
 *   timestamp could still be accepted (then pruned), so a replayed body is applied
 *   once. Platform-wide: one body may report messages of several workspaces.
 * - marketing_message_provider_idx: a report naming only the provider's message id
 *   (an older message whose id is not a UUID v7, a Zalo OA message sent without a
 *   tracking id) finds its message.
 */
export class DeliveryEvents1765400000000 implements MigrationInterface {
  name = 'DeliveryEvents1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_delivery (
        source text NOT NULL,
        body_sha256 bytea NOT NULL,
        received_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (source, body_sha256)
      )`);
    await q.query('CREATE INDEX webhook_delivery_received_idx ON webhook_delivery (received_at)');
    await q.query(`CREATE INDEX marketing_message_provider_idx
      ON marketing_message (provider_message_id) WHERE provider_message_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX marketing_message_provider_idx');
    await q.query('DROP TABLE webhook_delivery');
  }
}
