import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Marketing consent as marketing announces it (marketing.consent.changed, projected by
 * consent/consent-changed.handler.ts): one row per (customer, channel) with the newest
 * version applied, and on the customer the channels they are opted out of
 * (`opted_out_channels`, sorted and distinct), which the list filter
 * (`optedOutChannels`) and the audiences of campaigns read.
 *
 * customer_channel_consent has no foreign key to customer: a row stays under the id
 * marketing named, and a merged customer's rows count for its survivor (through
 * customer_merge), so a late event of a merged id still applies by its own version.
 *
 * The GIN index leads with workspace_id (btree_gin, as tags' does) and serves
 * `containsAny` / `containsAll` on the channels.
 */
export class ChannelConsent1765400000100 implements MigrationInterface {
  name = 'ChannelConsent1765400000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer_channel_consent (
        workspace_id text NOT NULL,
        customer_id uuid NOT NULL,
        channel text NOT NULL
          CHECK (channel IN ('SMS', 'EMAIL', 'ZNS', 'ZALO_OA', 'ZALO_BULK', 'FACEBOOK')),
        opted_out boolean NOT NULL,
        version bigint NOT NULL,
        PRIMARY KEY (workspace_id, customer_id, channel)
      )`);
    await q.query(
      `ALTER TABLE customer ADD COLUMN opted_out_channels text[] NOT NULL DEFAULT '{}'`,
    );
    await q.query(
      'CREATE INDEX customer_opted_out_channels_idx ON customer USING gin (workspace_id, opted_out_channels)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX customer_opted_out_channels_idx');
    await q.query('ALTER TABLE customer DROP COLUMN opted_out_channels');
    await q.query('DROP TABLE customer_channel_consent');
  }
}
