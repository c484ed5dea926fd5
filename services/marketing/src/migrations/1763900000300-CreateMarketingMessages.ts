import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMarketingMessages1763900000300 implements MigrationInterface {
  name = 'CreateMarketingMessages1763900000300';

  async up(q: QueryRunner): Promise<void> {
    // customer_id names a customer of the contacts subgraph (another database).
    await q.query(`
      CREATE TABLE marketing_message (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL REFERENCES workspace (id),
        customer_id uuid NOT NULL,
        channel text NOT NULL
          CHECK (channel IN ('SMS', 'EMAIL', 'ZNS', 'ZALO_OA', 'ZALO_BULK', 'FACEBOOK')),
        campaign_name text NOT NULL,
        content_summary text,
        status text NOT NULL
          CHECK (status IN ('QUEUED', 'SENT', 'DELIVERED', 'OPENED', 'CLICKED', 'FAILED')),
        failure_reason text,
        sent_at timestamptz(3) NOT NULL
      )`);
    await q.query(
      `CREATE INDEX marketing_message_customer_idx
         ON marketing_message (workspace_id, customer_id, sent_at DESC, id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE marketing_message');
  }
}
