import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrders1763900000200 implements MigrationInterface {
  name = 'CreateOrders1763900000200';

  async up(q: QueryRunner): Promise<void> {
    // customer_id points at a customer owned by the contacts subgraph: no foreign key
    // can cross databases; it is kept in step through events.
    await q.query(`
      CREATE TABLE customer_order (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL REFERENCES workspace (id),
        customer_id uuid NOT NULL,
        code text NOT NULL,
        marketplace text NOT NULL
          CHECK (marketplace IN ('SHOPEE', 'LAZADA', 'TIKTOK_SHOP', 'WEB', 'POS')),
        status text NOT NULL
          CHECK (status IN ('PENDING', 'CONFIRMED', 'SHIPPING', 'COMPLETED', 'CANCELLED', 'RETURNED')),
        buyer_name text,
        total bigint NOT NULL CHECK (total >= 0),
        ordered_at timestamptz(3) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT customer_order_code_uq UNIQUE (workspace_id, marketplace, code)
      )`);
    await q.query(
      `CREATE INDEX customer_order_customer_idx
         ON customer_order (workspace_id, customer_id, ordered_at DESC, id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE customer_order');
  }
}
