import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 11: the full order record. `marketplace` becomes `source` (WEB → WEBSITE),
// an order may belong to no customer yet (customer_id null until phone matching
// attaches it, by `buyer_phone_e164`), money is split into its parts with the sums
// checked, items are kept with their order (jsonb: always read and replaced whole,
// never filtered on) and each status reached is kept with its time in
// customer_order_status. `source_updated_at` is the source's version of the order:
// upserts compare it. Every index leads with workspace_id.
const SOURCES = `'SHOPEE', 'LAZADA', 'TIKTOK_SHOP', 'WEBSITE', 'FACEBOOK', 'ZALO', 'POS', 'OTHER'`;
const STATUSES = `'PENDING', 'CONFIRMED', 'SHIPPING', 'DELIVERED', 'COMPLETED', 'CANCELLED', 'RETURNED'`;

export class EvolveOrders1764400000000 implements MigrationInterface {
  name = 'EvolveOrders1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE customer_order DROP CONSTRAINT customer_order_marketplace_check`);
    await q.query(`ALTER TABLE customer_order DROP CONSTRAINT customer_order_status_check`);
    await q.query(`ALTER TABLE customer_order RENAME COLUMN marketplace TO source`);
    await q.query(`UPDATE customer_order SET source = 'WEBSITE' WHERE source = 'WEB'`);
    await q.query(`
      ALTER TABLE customer_order
        ALTER COLUMN customer_id DROP NOT NULL,
        ADD CONSTRAINT customer_order_source_check CHECK (source IN (${SOURCES})),
        ADD CONSTRAINT customer_order_status_check CHECK (status IN (${STATUSES})),
        ADD COLUMN buyer_phone text,
        ADD COLUMN buyer_phone_e164 text,
        ADD COLUMN buyer_email text,
        ADD COLUMN shipping_address text,
        ADD COLUMN shipping_carrier text,
        ADD COLUMN tracking_code text,
        ADD COLUMN note text,
        ADD COLUMN items jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN subtotal bigint,
        ADD COLUMN discount_total bigint NOT NULL DEFAULT 0 CHECK (discount_total >= 0),
        ADD COLUMN shipping_fee bigint NOT NULL DEFAULT 0 CHECK (shipping_fee >= 0),
        ADD COLUMN voucher_code text,
        ADD COLUMN source_updated_at timestamptz(3),
        ADD COLUMN updated_at timestamptz(3) NOT NULL DEFAULT now()`);
    await q.query(`UPDATE customer_order SET subtotal = total, source_updated_at = ordered_at`);
    await q.query(`
      ALTER TABLE customer_order
        ALTER COLUMN subtotal SET NOT NULL,
        ALTER COLUMN source_updated_at SET NOT NULL,
        ADD CONSTRAINT customer_order_subtotal_check CHECK (subtotal >= 0),
        ADD CONSTRAINT customer_order_total_sum_check
          CHECK (total = subtotal - discount_total + shipping_fee)`);
    await q.query(`ALTER INDEX customer_order_code_uq RENAME TO customer_order_source_code_uq`);
    await q.query(`
      CREATE TABLE customer_order_status (
        workspace_id text NOT NULL,
        order_id uuid NOT NULL REFERENCES customer_order (id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN (${STATUSES})),
        changed_at timestamptz(3) NOT NULL,
        PRIMARY KEY (order_id, status)
      )`);
    await q.query(`
      INSERT INTO customer_order_status (workspace_id, order_id, status, changed_at)
      SELECT workspace_id, id, status, ordered_at FROM customer_order`);
    for (const [name, columns] of [
      ['customer_order_ordered_idx', 'workspace_id, ordered_at DESC, id DESC'],
      ['customer_order_total_idx', 'workspace_id, total, id'],
      ['customer_order_status_idx', 'workspace_id, status, ordered_at DESC'],
      ['customer_order_phone_idx', 'workspace_id, buyer_phone_e164'],
      ['customer_order_code_idx', 'workspace_id, code'],
    ]) {
      await q.query(`CREATE INDEX ${name} ON customer_order (${columns})`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE customer_order_status');
    for (const name of [
      'customer_order_ordered_idx',
      'customer_order_total_idx',
      'customer_order_status_idx',
      'customer_order_phone_idx',
      'customer_order_code_idx',
    ]) {
      await q.query(`DROP INDEX ${name}`);
    }
    await q.query(`DELETE FROM customer_order WHERE customer_id IS NULL`);
    await q.query(`
      ALTER TABLE customer_order
        DROP CONSTRAINT customer_order_total_sum_check,
        DROP CONSTRAINT customer_order_source_check,
        DROP CONSTRAINT customer_order_status_check,
        DROP COLUMN buyer_phone, DROP COLUMN buyer_phone_e164, DROP COLUMN buyer_email,
        DROP COLUMN shipping_address, DROP COLUMN shipping_carrier, DROP COLUMN tracking_code,
        DROP COLUMN note, DROP COLUMN items, DROP COLUMN subtotal, DROP COLUMN discount_total,
        DROP COLUMN shipping_fee, DROP COLUMN voucher_code, DROP COLUMN source_updated_at,
        DROP COLUMN updated_at,
        ALTER COLUMN customer_id SET NOT NULL`);
    await q.query(`UPDATE customer_order SET status = 'COMPLETED' WHERE status = 'DELIVERED'`);
    await q.query(
      `UPDATE customer_order SET source = 'WEB' WHERE source NOT IN ('SHOPEE', 'LAZADA', 'TIKTOK_SHOP', 'POS')`,
    );
    await q.query(`ALTER TABLE customer_order RENAME COLUMN source TO marketplace`);
    await q.query(`ALTER INDEX customer_order_source_code_uq RENAME TO customer_order_code_uq`);
    await q.query(`
      ALTER TABLE customer_order
        ADD CONSTRAINT customer_order_marketplace_check
          CHECK (marketplace IN ('SHOPEE', 'LAZADA', 'TIKTOK_SHOP', 'WEB', 'POS')),
        ADD CONSTRAINT customer_order_status_check
          CHECK (status IN ('PENDING', 'CONFIRMED', 'SHIPPING', 'COMPLETED', 'CANCELLED', 'RETURNED'))`);
  }
}
