import type { MigrationInterface, QueryRunner } from 'typeorm';

// The periodic sweep (docs/loyalty.md, loyalty.sweep.ts): loyalty_balance.due_at is the
// earliest time a reconciliation of the customer could change something without any new
// order (a redeemable credit expiring; under ROLLING_12_MONTHS, a qualifying entry leaving
// the window). Every write of a balance sets it (loyalty.ledger.ts, refreshDueAt); the
// sweep reconciles the rows whose due_at has passed.
// Existing balances: the earliest such time of any entry, past ones included (points
// that should already have expired are swept once; a sweep that finds nothing due only
// moves due_at on). Rolling or not is the program's, so every workspace gets the window
// times here; under LIFETIME the first sweep drops them.
export class LoyaltySweep1765100000000 implements MigrationInterface {
  name = 'LoyaltySweep1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE loyalty_balance ADD COLUMN due_at timestamptz(3)`);
    await q.query(`
      UPDATE loyalty_balance b SET due_at = d.due_at
        FROM (SELECT workspace_id, customer_id,
                     LEAST(min(expires_at) FILTER (WHERE redeemable_delta > 0),
                           min(window_at + interval '12 months') FILTER (WHERE qualifying_delta <> 0))
                       AS due_at
                FROM loyalty_entry WHERE kind <> 'MERGE'
               GROUP BY workspace_id, customer_id) d
       WHERE b.workspace_id = d.workspace_id AND b.customer_id = d.customer_id`);
    await q.query(`CREATE INDEX loyalty_balance_due
      ON loyalty_balance (workspace_id, due_at) WHERE due_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX loyalty_balance_due');
    await q.query('ALTER TABLE loyalty_balance DROP COLUMN due_at');
  }
}
