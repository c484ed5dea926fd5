import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCustomers1763900000100 implements MigrationInterface {
  name = 'CreateCustomers1763900000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL REFERENCES workspace (id),
        name text,
        email text,
        address text,
        city text,
        birthday date,
        gender text CHECK (gender IN ('MALE', 'FEMALE', 'OTHER')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT customer_workspace_id_uq UNIQUE (workspace_id, id)
      )`);
    await q.query(
      'CREATE INDEX customer_workspace_created_idx ON customer (workspace_id, created_at DESC, id DESC)',
    );
    await q.query(`
      CREATE TABLE customer_phone (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        customer_id uuid NOT NULL,
        number text NOT NULL,
        position int NOT NULL,
        CONSTRAINT customer_phone_customer_fk FOREIGN KEY (workspace_id, customer_id)
          REFERENCES customer (workspace_id, id) ON DELETE CASCADE,
        CONSTRAINT customer_phone_position_uq UNIQUE (workspace_id, customer_id, position)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE customer_phone');
    await q.query('DROP TABLE customer');
  }
}
