import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 13, loyalty (docs/loyalty.md):
// - loyalty_program: one program per workspace (jsonb), its revision bumped by each change.
// - loyalty_balance: per customer the two balances, the tier and the version of its last
//   orders.customer.tier-changed; its row lock serialises every change of one customer's
//   ledger (redemptions, reconciliation, merges).
// - loyalty_entry: the ledger. At most one live EARN per order (a unique partial index);
//   its REVERSE sets live = false.
// - loyalty_reevaluation: the background job re-evaluating every customer after a change.
export class Loyalty1765000000000 implements MigrationInterface {
  name = 'Loyalty1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE loyalty_program (
        workspace_id text PRIMARY KEY,
        program jsonb NOT NULL,
        revision bigint NOT NULL,
        updated_by text,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE loyalty_balance (
        workspace_id text NOT NULL,
        customer_id uuid NOT NULL,
        qualifying bigint NOT NULL DEFAULT 0 CHECK (qualifying >= 0),
        redeemable bigint NOT NULL DEFAULT 0 CHECK (redeemable >= 0),
        tier_rank int,
        tier_name text,
        version bigint NOT NULL DEFAULT 0,
        revision bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (workspace_id, customer_id)
      )`);
    await q.query(`
      CREATE TABLE loyalty_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        customer_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('EARN','REVERSE','REDEEM','ADJUST','EXPIRE','MERGE')),
        order_id uuid,
        person text,
        reason text,
        qualifying_delta bigint NOT NULL,
        redeemable_delta bigint NOT NULL,
        qualifying_after bigint NOT NULL,
        redeemable_after bigint NOT NULL,
        live boolean NOT NULL DEFAULT false,
        window_at timestamptz(3) NOT NULL,
        expires_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE UNIQUE INDEX loyalty_entry_live_earn
      ON loyalty_entry (workspace_id, order_id) WHERE kind = 'EARN' AND live`);
    await q.query(`CREATE INDEX loyalty_entry_customer
      ON loyalty_entry (workspace_id, customer_id, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE loyalty_reevaluation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        revision bigint NOT NULL,
        status text NOT NULL DEFAULT 'QUEUED',
        total int NOT NULL DEFAULT 0,
        processed int NOT NULL DEFAULT 0,
        after_customer uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        finished_at timestamptz(3)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE loyalty_reevaluation');
    await q.query('DROP TABLE loyalty_entry');
    await q.query('DROP TABLE loyalty_balance');
    await q.query('DROP TABLE loyalty_program');
  }
}
