import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Several followers per customer (two Zalo accounts sharing one phone), listed by the
 * most recent link first: when each follower was last linked, from contacts'
 * `contacts.customer.zalo-linked`. Followers linked before this column existed take
 * their follow date (the best known); the rest, the migration's time. Never null, so
 * it serves as a page's sort key; it means something only while `customer_id` is set.
 */
export class FollowerLinkedAt1763900000440 implements MigrationInterface {
  name = 'FollowerLinkedAt1763900000440';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE zalo_follower ADD COLUMN linked_at timestamptz(3) NOT NULL DEFAULT now()',
    );
    await q.query('UPDATE zalo_follower SET linked_at = followed_at WHERE customer_id IS NOT NULL');
    await q.query('DROP INDEX zalo_follower_customer_idx');
    await q.query(
      `CREATE INDEX zalo_follower_customer_linked_idx
         ON zalo_follower (workspace_id, customer_id, linked_at DESC, id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX zalo_follower_customer_linked_idx');
    await q.query(
      'CREATE INDEX zalo_follower_customer_idx ON zalo_follower (workspace_id, customer_id)',
    );
    await q.query('ALTER TABLE zalo_follower DROP COLUMN linked_at');
  }
}
