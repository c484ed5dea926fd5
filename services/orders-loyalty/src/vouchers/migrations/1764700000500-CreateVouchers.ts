import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Vouchers (issue 13): campaigns, the codes issued to customers, and why an order's
 * code was not applied.
 *
 * - voucher_campaign: value (PERCENT 1–100 or FIXED đồng), minimum order, maximum
 *   discount, validity window, limits. Ending a campaign brings valid_to to now.
 * - voucher: one issued code. The code is unique per workspace without regard to case
 *   (voucher_code_uq on upper(code)). used_order_id is set by the order that used it
 *   (vouchers/voucher.apply.ts), by a conditional UPDATE (… AND used_order_id IS NULL):
 *   of two orders racing for one code exactly one gets it; an order holds one code at
 *   most (voucher_used_order_uq).
 * - customer_order.voucher_rejection: why the order's voucher_code was not applied.
 */
export class CreateVouchers1764700000500 implements MigrationInterface {
  name = 'CreateVouchers1764700000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE voucher_campaign (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL REFERENCES workspace (id),
        name text NOT NULL,
        value_type text NOT NULL
          CONSTRAINT voucher_campaign_type_ck CHECK (value_type IN ('PERCENT', 'FIXED')),
        value bigint NOT NULL
          CONSTRAINT voucher_campaign_value_ck
          CHECK (value >= 1 AND (value_type = 'FIXED' OR value <= 100)),
        minimum_order bigint NOT NULL DEFAULT 0
          CONSTRAINT voucher_campaign_minimum_ck CHECK (minimum_order >= 0),
        maximum_discount bigint
          CONSTRAINT voucher_campaign_maximum_ck CHECK (maximum_discount >= 1),
        valid_from timestamptz(3) NOT NULL,
        valid_to timestamptz(3) NOT NULL,
        limit_per_customer int CONSTRAINT voucher_campaign_per_customer_ck
          CHECK (limit_per_customer >= 1),
        limit_total int CONSTRAINT voucher_campaign_total_ck CHECK (limit_total >= 1),
        issued_count int NOT NULL DEFAULT 0,
        ended_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT voucher_campaign_window_ck CHECK (valid_to > valid_from OR ended_at IS NOT NULL),
        CONSTRAINT voucher_campaign_ws_id_uq UNIQUE (workspace_id, id)
      )`);
    await q.query(`
      CREATE TABLE voucher (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        campaign_id uuid NOT NULL,
        customer_id uuid NOT NULL,
        code text NOT NULL,
        note text,
        issued_at timestamptz(3) NOT NULL DEFAULT now(),
        used_order_id uuid REFERENCES customer_order (id) ON DELETE SET NULL,
        used_at timestamptz(3),
        CONSTRAINT voucher_campaign_fk FOREIGN KEY (workspace_id, campaign_id)
          REFERENCES voucher_campaign (workspace_id, id),
        CONSTRAINT voucher_used_ck CHECK ((used_order_id IS NULL) = (used_at IS NULL))
      )`);
    await q.query('CREATE UNIQUE INDEX voucher_code_uq ON voucher (workspace_id, upper(code))');
    await q.query(
      `CREATE INDEX voucher_customer_idx ON voucher (workspace_id, customer_id, issued_at DESC, id DESC)`,
    );
    await q.query(
      'CREATE INDEX voucher_campaign_idx ON voucher (workspace_id, campaign_id, customer_id)',
    );
    await q.query(
      `CREATE UNIQUE INDEX voucher_used_order_uq ON voucher (workspace_id, used_order_id)
         WHERE used_order_id IS NOT NULL`,
    );
    await q.query(`
      ALTER TABLE customer_order ADD COLUMN voucher_rejection text
        CONSTRAINT customer_order_voucher_rejection_ck CHECK (voucher_rejection IN
          ('UNKNOWN_CODE', 'ALREADY_USED', 'NOT_THIS_CUSTOMER', 'EXPIRED', 'NOT_YET_VALID',
           'BELOW_MINIMUM'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE customer_order DROP COLUMN voucher_rejection');
    await q.query('DROP TABLE voucher');
    await q.query('DROP TABLE voucher_campaign');
  }
}
