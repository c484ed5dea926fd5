import type { MigrationInterface, QueryRunner } from 'typeorm';

// The reconciliation reads the live EARNs of a set of customers (loyalty.reconcile.ts).
// Without an index on the customer, its OR with "or of their orders" scanned every live
// EARN of the workspace per batch (bench:loyalty: 35 of 77 s of a re-evaluation).
export class LiveEarnByCustomer1765200000100 implements MigrationInterface {
  name = 'LiveEarnByCustomer1765200000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX loyalty_entry_live_earn_customer
      ON loyalty_entry (workspace_id, customer_id) WHERE kind = 'EARN' AND live`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX loyalty_entry_live_earn_customer');
  }
}
