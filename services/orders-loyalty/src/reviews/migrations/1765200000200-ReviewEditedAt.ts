import type { MigrationInterface, QueryRunner } from 'typeorm';

// A buyer may edit a review on the marketplace; a connector may deliver versions out of
// order. order_review.edited_at is the version's time (ReviewInput.editedAt, else the
// review's createdAt): upsertReviews never replaces a newer version with an older one.
export class ReviewEditedAt1765200000200 implements MigrationInterface {
  name = 'ReviewEditedAt1765200000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE order_review ADD COLUMN edited_at timestamptz(3)`);
    await q.query(`UPDATE order_review SET edited_at = reviewed_at`);
    await q.query(`ALTER TABLE order_review ALTER COLUMN edited_at SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE order_review DROP COLUMN edited_at');
  }
}
