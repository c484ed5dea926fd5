import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The customer type, as seed 004 defines it: a VISITOR left no way to reach them, so a
 * phone or an email alone makes a LEAD (before, a LEAD also needed a name). CUSTOMER
 * stays "an id from the shop" (a SHOP external id), and `has_live_order` is the input
 * the orders flow will set (false until then), so a live order also makes a CUSTOMER.
 * The table of cases is in docs/customers.md.
 *
 * The name no longer plays a part, so the function no longer takes it. It takes
 * has_live_order as an argument rather than reading it, so a statement that changes
 * the flag derives the type from the new value.
 */
export class CustomerTypeRule1763900000160 implements MigrationInterface {
  name = 'CustomerTypeRule1763900000160';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE customer ADD COLUMN has_live_order boolean NOT NULL DEFAULT false');
    await q.query('DROP FUNCTION customer_derived_type(text, uuid, text, text)');
    await q.query(`
      CREATE FUNCTION customer_derived_type(ws text, cid uuid, email text, has_live_order boolean)
      RETURNS text LANGUAGE sql STABLE AS $$
        SELECT CASE
          WHEN has_live_order OR EXISTS (SELECT 1 FROM customer_external_id x
                        WHERE x.workspace_id = ws AND x.customer_id = cid AND x.source = 'SHOP')
            THEN 'CUSTOMER'
          WHEN nullif(btrim(email), '') IS NOT NULL OR EXISTS (
                 SELECT 1 FROM customer_phone p WHERE p.workspace_id = ws AND p.customer_id = cid)
            THEN 'LEAD'
          ELSE 'VISITOR' END
      $$`);
    await q.query(RECOMPUTE);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION customer_derived_type(text, uuid, text, boolean)');
    await q.query(`
      CREATE FUNCTION customer_derived_type(ws text, cid uuid, name text, email text)
      RETURNS text LANGUAGE sql STABLE AS $$
        SELECT CASE
          WHEN EXISTS (SELECT 1 FROM customer_external_id x
                        WHERE x.workspace_id = ws AND x.customer_id = cid AND x.source = 'SHOP')
            THEN 'CUSTOMER'
          WHEN name IS NOT NULL AND (email IS NOT NULL OR EXISTS (
                 SELECT 1 FROM customer_phone p WHERE p.workspace_id = ws AND p.customer_id = cid))
            THEN 'LEAD'
          ELSE 'VISITOR' END
      $$`);
    await q.query('ALTER TABLE customer DROP COLUMN has_live_order');
    await q.query(
      'UPDATE customer SET type = customer_derived_type(workspace_id, id, name, email)',
    );
  }
}

/** Rewrites only the rows whose stored type the new rule changes. */
const RECOMPUTE = `
  UPDATE customer SET type = t.derived
    FROM (SELECT workspace_id, id,
                 customer_derived_type(workspace_id, id, email, has_live_order) AS derived
            FROM customer) t
   WHERE customer.workspace_id = t.workspace_id AND customer.id = t.id
     AND customer.type IS DISTINCT FROM t.derived`;
