import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The customer's purchases in figures, projected from orders.customer.summary-changed
 * (buyers/summary-changed.handler.ts), for the filter language and the list's sort.
 * A customer without orders has 0 orders and 0 ₫ spent (never NULL) and no order
 * dates. `order_summary_version` is the version applied (0: none yet).
 *
 * Indexes lead with workspace_id and end with the id (the sort's tie-break), so each
 * serves both a range filter and a keyset page in either direction. The last order
 * is indexed as COALESCE(last_order_at, '-infinity'): the sort places customers
 * without orders as the oldest, and a keyset row comparison cannot hold a NULL; the
 * filter's conditions on lastOrderAt are written over the same expression
 * (filter/filter.orders.ts) so this one index serves them too.
 *
 * Customers bought from before this existed get their figures when orders announces
 * their summaries; until then they read 0.
 */
export class CustomerOrderFigures1763900000180 implements MigrationInterface {
  name = 'CustomerOrderFigures1763900000180';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE customer
        ADD COLUMN order_count integer NOT NULL DEFAULT 0,
        ADD COLUMN total_spent bigint NOT NULL DEFAULT 0,
        ADD COLUMN first_order_at timestamptz(3),
        ADD COLUMN last_order_at timestamptz(3),
        ADD COLUMN order_summary_version bigint NOT NULL DEFAULT 0`);
    const indexes = [
      'customer_workspace_order_count_idx ON customer (workspace_id, order_count, id)',
      'customer_workspace_total_spent_idx ON customer (workspace_id, total_spent, id)',
      `customer_workspace_last_order_idx ON customer
         (workspace_id, COALESCE(last_order_at, '-infinity'::timestamptz), id)`,
    ];
    for (const index of indexes) await q.query(`CREATE INDEX ${index}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE customer
        DROP COLUMN order_count, DROP COLUMN total_spent, DROP COLUMN first_order_at,
        DROP COLUMN last_order_at, DROP COLUMN order_summary_version`);
  }
}
