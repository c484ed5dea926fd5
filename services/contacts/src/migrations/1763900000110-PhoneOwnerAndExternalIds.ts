import type { MigrationInterface, QueryRunner } from 'typeorm';
import { toE164 } from '@customer-graph/runtime';

export class PhoneOwnerAndExternalIds1763900000110 implements MigrationInterface {
  name = 'PhoneOwnerAndExternalIds1763900000110';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE customer_phone ADD COLUMN e164 text');
    const phones: { id: string; number: string }[] = await q.query(
      'SELECT id, number FROM customer_phone',
    );
    for (const phone of phones) {
      await q.query('UPDATE customer_phone SET e164 = $2 WHERE id = $1', [
        phone.id,
        toE164(phone.number),
      ]);
    }
    await q.query(
      'CREATE INDEX customer_phone_e164_idx ON customer_phone (workspace_id, e164) WHERE e164 IS NOT NULL',
    );
    // The customer a phone number resolves to when something arrives with only a phone
    // (a Zalo follower, later an order). The primary key is what guarantees one
    // customer per phone per workspace, however many events race for it.
    await q.query(`
      CREATE TABLE phone_owner (
        workspace_id text NOT NULL,
        e164 text NOT NULL,
        customer_id uuid NOT NULL,
        PRIMARY KEY (workspace_id, e164),
        CONSTRAINT phone_owner_customer_fk FOREIGN KEY (workspace_id, customer_id)
          REFERENCES customer (workspace_id, id) ON DELETE CASCADE
      )`);
    await q.query(`
      INSERT INTO phone_owner (workspace_id, e164, customer_id)
      SELECT DISTINCT ON (p.workspace_id, p.e164) p.workspace_id, p.e164, p.customer_id
        FROM customer_phone p JOIN customer c ON c.id = p.customer_id
       WHERE p.e164 IS NOT NULL
       ORDER BY p.workspace_id, p.e164, c.created_at, c.id`);
    await q.query(`
      CREATE TABLE customer_external_id (
        workspace_id text NOT NULL,
        source text NOT NULL CHECK (source IN ('ZALO', 'SHOP')),
        external_id text NOT NULL,
        customer_id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, source, external_id),
        CONSTRAINT customer_external_id_customer_fk FOREIGN KEY (workspace_id, customer_id)
          REFERENCES customer (workspace_id, id) ON DELETE CASCADE
      )`);
    await q.query(
      'CREATE INDEX customer_external_id_customer_idx ON customer_external_id (workspace_id, customer_id)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE customer_external_id');
    await q.query('DROP TABLE phone_owner');
    await q.query('ALTER TABLE customer_phone DROP COLUMN e164');
  }
}
