import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The batches of campaign recipients orders-loyalty has issued codes to
 * (marketing.vouchers.requested, vouchers/voucher.requests.ts), one row per (campaign,
 * batch) with the answer published (orders.vouchers.issued's codes and refused), so a
 * second request for a batch re-publishes the same answer and never issues again.
 * The row is claimed first (answer NULL) in the transaction that issues, so a
 * concurrent second request waits for it and then reads the answer.
 */
export class VoucherRequest1765400000200 implements MigrationInterface {
  name = 'VoucherRequest1765400000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE voucher_request (
        workspace_id text NOT NULL,
        campaign_id uuid NOT NULL,
        batch int NOT NULL,
        voucher_campaign_id uuid NOT NULL,
        answer jsonb,
        answered_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, campaign_id, batch)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE voucher_request');
  }
}
