import type { MigrationInterface, QueryRunner } from 'typeorm';

// The customer's index carries what the tab's count and the summary read (channel,
// status_rank, sent_at), so both are answered from the index alone once a month is
// vacuumed: bench:marketing's page of 20 summaries read 2,000 scattered message rows.
export class CustomerCoverIndex1765500000100 implements MigrationInterface {
  name = 'CustomerCoverIndex1765500000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX marketing_message_customer_cover_idx
      ON marketing_message (workspace_id, customer_id, created_at DESC, id DESC)
      INCLUDE (channel, status_rank, sent_at)`);
    await q.query('DROP INDEX marketing_message_customer_idx');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX marketing_message_customer_idx
      ON marketing_message (workspace_id, customer_id, created_at DESC, id DESC)`);
    await q.query('DROP INDEX marketing_message_customer_cover_idx');
  }
}
