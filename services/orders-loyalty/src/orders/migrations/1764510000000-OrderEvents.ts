import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 11, orders' events:
// - customer_order_version: per customer, the version of its last
//   orders.customer.summary-changed. Bumped by INSERT … ON CONFLICT DO UPDATE, whose
//   row lock serialises the transactions changing one customer's orders, so a larger
//   version always carries figures that include every change of a smaller one.
// - order_buyer_asked: which buyer phones were asked about (orders.buyer.seen) and
//   when, so a phone is asked once, then again only if it is still unknown later.
// - customer_order.attached_manually_at: set when a person attached the order
//   (attachOrder); automatic matching never moves such an order.
export class OrderEvents1764510000000 implements MigrationInterface {
  name = 'OrderEvents1764510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer_order_version (
        workspace_id text NOT NULL,
        customer_id uuid NOT NULL,
        version bigint NOT NULL CHECK (version >= 1),
        PRIMARY KEY (workspace_id, customer_id)
      )`);
    await q.query(`
      CREATE TABLE order_buyer_asked (
        workspace_id text NOT NULL,
        e164 text NOT NULL,
        asked_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, e164)
      )`);
    await q.query(`ALTER TABLE customer_order ADD COLUMN attached_manually_at timestamptz(3)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE customer_order DROP COLUMN attached_manually_at`);
    await q.query('DROP TABLE order_buyer_asked');
    await q.query('DROP TABLE customer_order_version');
  }
}
