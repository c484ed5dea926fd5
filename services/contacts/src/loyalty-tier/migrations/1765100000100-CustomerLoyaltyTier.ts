import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The customer's loyalty tier, projected from orders.customer.tier-changed
 * (loyalty-tier/tier-changed.handler.ts), for the filter language and the list's sort.
 * A customer without a tier has rank 0 and no name (never a NULL rank).
 * `loyalty_tier_version` is the version applied (0: none yet).
 *
 * One index, leading with workspace_id and ending with the id (the sort's tie-break):
 * it serves the TIER sort's keyset pages in either direction and the tierRank range
 * filters ("Gold and above" is `rank >= 3`). A filter by tier name reads the rows of
 * the workspace (a program has a handful of tiers, so a name is rarely selective).
 *
 * Customers who reached a tier before this existed read rank 0 until orders-loyalty
 * announces their tier again (any change of it, or a re-evaluation of the program).
 */
export class CustomerLoyaltyTier1765100000100 implements MigrationInterface {
  name = 'CustomerLoyaltyTier1765100000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE customer
        ADD COLUMN loyalty_tier_rank integer NOT NULL DEFAULT 0,
        ADD COLUMN loyalty_tier_name text,
        ADD COLUMN loyalty_tier_version bigint NOT NULL DEFAULT 0`);
    await q.query(`CREATE INDEX customer_workspace_loyalty_tier_idx
      ON customer (workspace_id, loyalty_tier_rank, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE customer
        DROP COLUMN loyalty_tier_rank, DROP COLUMN loyalty_tier_name,
        DROP COLUMN loyalty_tier_version`);
  }
}
