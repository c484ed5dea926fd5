import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A merge moves the merged customers' messages to the survivor (customer-merged.handler.ts).
 * One person may have had a message of the same campaign on two records — both were in
 * its audience — and a campaign's messages all carry its start as created_at, so the
 * moved message collided with the survivor's on the recipient index (one message per
 * campaign, customer and start) and the merge failed on every delivery. A moved message
 * now keeps the customer it was sent to (`merged_from`), and the index is unique per
 * campaign, customer, start and that origin; an audience's own messages have none (NULL,
 * counted as one value by NULLS NOT DISTINCT), so a campaign still writes one message per
 * recipient.
 */
export class MergedMessages1766700000000 implements MigrationInterface {
  name = 'MergedMessages1766700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE marketing_message ADD COLUMN merged_from uuid');
    await q.query('DROP INDEX marketing_message_recipient_uq');
    await q.query(`CREATE UNIQUE INDEX marketing_message_recipient_uq
      ON marketing_message (campaign_id, customer_id, created_at, merged_from) NULLS NOT DISTINCT
      WHERE campaign_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX marketing_message_recipient_uq');
    await q.query(`CREATE UNIQUE INDEX marketing_message_recipient_uq
      ON marketing_message (campaign_id, customer_id, created_at) WHERE campaign_id IS NOT NULL`);
    await q.query('ALTER TABLE marketing_message DROP COLUMN merged_from');
  }
}
