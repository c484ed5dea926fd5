import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasures (docs/privacy.md): one row per erased customer (`eraseCustomer`), keeping
 * only ids and counts, never a value of the person; and one row per subgraph that
 * confirmed it (`<service>.customer.erasure-done`).
 */
export class CustomerErasure1766300000000 implements MigrationInterface {
  name = 'CustomerErasure1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer_erasure (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL REFERENCES workspace (id),
        customer_id uuid NOT NULL,
        erased_by text NOT NULL,
        erased_at timestamptz(3) NOT NULL DEFAULT now(),
        removed jsonb NOT NULL,
        UNIQUE (workspace_id, customer_id)
      )`);
    await q.query(`
      CREATE TABLE customer_erasure_confirmation (
        workspace_id text NOT NULL,
        erasure_id uuid NOT NULL REFERENCES customer_erasure (id) ON DELETE CASCADE,
        subgraph text NOT NULL,
        removed jsonb NOT NULL,
        confirmed_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, erasure_id, subgraph)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE customer_erasure_confirmation');
    await q.query('DROP TABLE customer_erasure');
  }
}
