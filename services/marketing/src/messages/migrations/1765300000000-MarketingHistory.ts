import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_MARKETING_RETENTION_MONTHS } from '@customer-graph/runtime';
import { addMonths, ensureMonths, monthStart } from '../message.partitions';

/**
 * Marketing fed for real (issue 14, docs/marketing.md).
 *
 * - campaign: what is sent, on which channel, to which audience (a saved list, a split
 *   of it or one part, or a filter: contacts resolves it, marketing.audience.requested),
 *   its status, and the audience's counts once frozen.
 * - campaign_audience_batch: the batches of members received (contacts.audience.members),
 *   one row each, so a redelivered batch adds nobody twice.
 * - marketing_message, now partitioned by month of created_at: a campaign's messages are
 *   all created at its start (one month, and (campaign_id, customer_id, created_at) is
 *   unique: one message per recipient). Their ids are UUID v7 carrying created_at, so an
 *   id alone finds its month. status is the furthest reached (status_rank, generated);
 *   send_state is the sender's: WAITING_VOUCHER, PENDING, SENDING (handed to the
 *   provider, answer not stored yet), DONE.
 * - message_event: every status change of a message (its timeline), partitioned by the
 *   message's month; (message, provider event id) is unique, so a duplicate changes nothing.
 * - channel_consent: a customer opted out of (or back into) a channel, and why.
 * Existing messages (demo rows) keep their ids; their created_at is their sent_at.
 */
export class MarketingHistory1765300000000 implements MigrationInterface {
  name = 'MarketingHistory1765300000000';

  async up(q: QueryRunner): Promise<void> {
    const channels = `('SMS', 'EMAIL', 'ZNS', 'ZALO_OA', 'ZALO_BULK', 'FACEBOOK')`;
    await q.query(`
      CREATE TABLE campaign (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL REFERENCES workspace (id),
        name text NOT NULL,
        channel text NOT NULL CHECK (channel IN ${channels}),
        content_summary text,
        template_id text,
        voucher_campaign_id uuid,
        audience jsonb NOT NULL,
        status text NOT NULL DEFAULT 'DRAFT'
          CHECK (status IN ('DRAFT', 'SCHEDULED', 'SENDING', 'SENT', 'CANCELLED', 'FAILED')),
        scheduled_at timestamptz(3),
        started_at timestamptz(3),
        finished_at timestamptz(3),
        failure_reason text,
        audience_batches int,
        audience_members int,
        excluded_restricted int,
        excluded_opted_out int,
        excluded_no_address int,
        created_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT campaign_ws_id_uq UNIQUE (workspace_id, id)
      )`);
    await q.query(
      'CREATE INDEX campaign_newest_idx ON campaign (workspace_id, created_at DESC, id DESC)',
    );
    await q.query(
      `CREATE INDEX campaign_due_idx ON campaign (scheduled_at) WHERE status = 'SCHEDULED'`,
    );
    await q.query(`
      CREATE TABLE campaign_audience_batch (
        workspace_id text NOT NULL,
        campaign_id uuid NOT NULL,
        batch int NOT NULL,
        members int NOT NULL,
        received_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (campaign_id, batch),
        FOREIGN KEY (workspace_id, campaign_id) REFERENCES campaign (workspace_id, id)
      )`);

    await q.query('ALTER TABLE marketing_message RENAME TO marketing_message_v1');
    await q.query('ALTER INDEX marketing_message_customer_idx RENAME TO marketing_message_v1_idx');
    await q.query(`
      CREATE TABLE marketing_message (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        customer_id uuid NOT NULL,
        campaign_id uuid,
        campaign_name text NOT NULL,
        channel text NOT NULL CHECK (channel IN ${channels}),
        address text,
        split_part int,
        content_summary text,
        voucher_code text,
        status text NOT NULL DEFAULT 'QUEUED'
          CHECK (status IN ('QUEUED', 'SENT', 'FAILED', 'DELIVERED', 'OPENED', 'CLICKED')),
        status_rank smallint NOT NULL GENERATED ALWAYS AS (CASE status
          WHEN 'QUEUED' THEN 0 WHEN 'SENT' THEN 1 WHEN 'FAILED' THEN 2
          WHEN 'DELIVERED' THEN 3 WHEN 'OPENED' THEN 4 ELSE 5 END) STORED,
        status_at timestamptz(3) NOT NULL DEFAULT now(),
        failure_reason text,
        send_state text NOT NULL DEFAULT 'DONE'
          CHECK (send_state IN ('WAITING_VOUCHER', 'PENDING', 'SENDING', 'DONE')),
        attempts int NOT NULL DEFAULT 0,
        provider_message_id text,
        sent_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (id, created_at)
      ) PARTITION BY RANGE (created_at)`);
    await q.query(`
      CREATE TABLE message_event (
        workspace_id text NOT NULL,
        message_id uuid NOT NULL,
        message_created_at timestamptz(3) NOT NULL,
        status text NOT NULL CHECK (status IN
          ('SENT', 'FAILED', 'DELIVERED', 'OPENED', 'CLICKED', 'UNSUBSCRIBED', 'COMPLAINED')),
        at timestamptz(3) NOT NULL,
        detail text,
        provider_event_id text NOT NULL,
        received_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (message_id, provider_event_id, message_created_at)
      ) PARTITION BY RANGE (message_created_at)`);
    const [range]: { oldest: Date | null }[] = await q.query(
      'SELECT min(sent_at) AS oldest FROM marketing_message_v1',
    );
    // The retention's default span back (the upkeep drops what a shorter one excludes),
    // the months of existing rows, and two months ahead.
    const now = new Date();
    const back = addMonths(monthStart(now), -DEFAULT_MARKETING_RETENTION_MONTHS);
    const oldest = range.oldest && range.oldest < back ? range.oldest : back;
    await ensureMonths(q, oldest, addMonths(monthStart(now), 2));
    await q.query(`
      INSERT INTO marketing_message (id, workspace_id, customer_id, campaign_name, channel,
        content_summary, status, status_at, failure_reason, sent_at, created_at)
      SELECT id, workspace_id, customer_id, campaign_name, channel, content_summary, status,
             sent_at, failure_reason, sent_at, sent_at
        FROM marketing_message_v1`);
    await q.query('DROP TABLE marketing_message_v1');
    await q.query(`CREATE INDEX marketing_message_customer_idx
      ON marketing_message (workspace_id, customer_id, created_at DESC, id DESC)`);
    await q.query(`CREATE UNIQUE INDEX marketing_message_recipient_uq
      ON marketing_message (campaign_id, customer_id, created_at) WHERE campaign_id IS NOT NULL`);
    await q.query(`CREATE INDEX marketing_message_campaign_idx
      ON marketing_message (workspace_id, campaign_id, split_part, status) WHERE campaign_id IS NOT NULL`);
    await q.query(`CREATE INDEX marketing_message_to_send_idx
      ON marketing_message (channel, created_at, id) WHERE send_state IN ('PENDING', 'SENDING')`);

    await q.query(`
      CREATE TABLE channel_consent (
        workspace_id text NOT NULL,
        customer_id uuid NOT NULL,
        channel text NOT NULL CHECK (channel IN ${channels}),
        opted_out boolean NOT NULL,
        reason text NOT NULL CHECK (reason IN ('UNSUBSCRIBED', 'COMPLAINED', 'STAFF')),
        changed_by text,
        changed_at timestamptz(3) NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        PRIMARY KEY (workspace_id, customer_id, channel)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE channel_consent');
    await q.query('DROP TABLE message_event');
    await q.query('ALTER TABLE marketing_message RENAME TO marketing_message_v2');
    await q.query(`
      CREATE TABLE marketing_message (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL REFERENCES workspace (id),
        customer_id uuid NOT NULL,
        channel text NOT NULL,
        campaign_name text NOT NULL,
        content_summary text,
        status text NOT NULL,
        failure_reason text,
        sent_at timestamptz(3) NOT NULL
      )`);
    await q.query(`
      INSERT INTO marketing_message (id, workspace_id, customer_id, channel, campaign_name,
        content_summary, status, failure_reason, sent_at)
      SELECT id, workspace_id, customer_id, channel, campaign_name, content_summary, status,
             failure_reason, COALESCE(sent_at, created_at)
        FROM marketing_message_v2`);
    await q.query('DROP TABLE marketing_message_v2');
    await q.query(`CREATE INDEX marketing_message_customer_idx
      ON marketing_message (workspace_id, customer_id, sent_at DESC, id DESC)`);
    await q.query('DROP TABLE campaign_audience_batch');
    await q.query('DROP TABLE campaign');
  }
}
