import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 13, reviews: a buyer's product review on a marketplace, keyed by
// (workspace, source, review_id). The order is named by (source, order_code) and found
// by a join when read (order_review_order_idx, and customer_order's own unique key),
// so a review that arrives before its order needs no linking step, and its customer
// is always its order's current one.
export class CreateOrderReviews1764700000400 implements MigrationInterface {
  name = 'CreateOrderReviews1764700000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_review (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        source text NOT NULL,
        review_id text NOT NULL,
        order_code text NOT NULL,
        product_sku text,
        product_name text NOT NULL,
        rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
        comment text,
        image_urls text[] NOT NULL DEFAULT '{}' CHECK (cardinality(image_urls) <= 9),
        reviewed_at timestamptz(3) NOT NULL,
        reply_text text,
        reply_status text CHECK (reply_status IN ('PENDING_SEND', 'SENT')),
        replied_by text,
        replied_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT order_review_reply_whole CHECK (
          (reply_text IS NULL) = (reply_status IS NULL)
          AND (reply_text IS NULL) = (replied_at IS NULL)),
        CONSTRAINT order_review_key UNIQUE (workspace_id, source, review_id)
      )`);
    await q.query(
      `CREATE INDEX order_review_order_idx ON order_review (workspace_id, source, order_code)`,
    );
    await q.query(
      `CREATE INDEX order_review_newest_idx ON order_review (workspace_id, reviewed_at DESC, id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE order_review');
  }
}
