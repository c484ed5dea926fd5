import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `Query.voucherCampaigns` pages a workspace's campaigns newest first (voucher.list.ts). */
export class VoucherCampaignList1765200000000 implements MigrationInterface {
  name = 'VoucherCampaignList1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX voucher_campaign_created_idx
         ON voucher_campaign (workspace_id, created_at DESC, id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX voucher_campaign_created_idx');
  }
}
