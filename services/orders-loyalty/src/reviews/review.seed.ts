import type { DataSource } from 'typeorm';
import { DEMO_CUSTOMERS } from '@customer-graph/runtime';

const SOURCES = ['SHOPEE', 'LAZADA', 'TIKTOK_SHOP', 'WEBSITE', 'POS'];
const COMMENTS = [
  'Hàng đẹp, giao nhanh, đóng gói cẩn thận.',
  'Chất vải hơi mỏng so với hình.',
  'Shop tư vấn nhiệt tình, sẽ ủng hộ tiếp.',
];

/**
 * A review of each demo customer's first order (the orders of order.seed.ts, by their
 * source and code), every other one already answered on the marketplace; keyed by
 * (source, review id), so a second run is a no-op.
 */
export async function seedDemoReviews(db: DataSource, workspaceId: string): Promise<void> {
  for (const [c] of DEMO_CUSTOMERS.entries()) {
    const n = c * 3 + 1;
    const at = new Date(Date.UTC(2026, 1, n + 3, 10));
    await db.query(
      `INSERT INTO order_review (workspace_id, source, review_id, order_code, product_sku,
         product_name, rating, comment, reviewed_at, edited_at, reply_text, reply_status,
         replied_at)
       VALUES ($1, $2, $3, $4, $5, 'Áo thun cotton', $6, $7, $8, $8, $9, $10, $11)
       ON CONFLICT (workspace_id, source, review_id) DO NOTHING`,
      [
        workspaceId,
        SOURCES[n % SOURCES.length],
        `RV${String(500000 + n)}`,
        `DH${String(240000 + n)}`,
        `SKU-${c % 4}`,
        5 - (c % 3),
        COMMENTS[c % COMMENTS.length],
        at,
        c % 2 === 0 ? 'Cảm ơn bạn đã ủng hộ shop!' : null,
        c % 2 === 0 ? 'SENT' : null,
        c % 2 === 0 ? new Date(at.getTime() + 3_600_000) : null,
      ],
    );
  }
}
