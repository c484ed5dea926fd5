import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The customer type rule (docs/customers.md) as a function of facts,
 * `customer_type_of(has_live_order, has_shop_id, email, has_phone)`, which
 * `customer_derived_type` now asks after looking the facts up. A writer that knows the
 * facts already (an import creating a thousand customers with their phones and shop
 * ids) sets the type in its INSERT instead of rewriting every new row once more: the
 * rule stays in one place.
 */
export class CustomerTypeOfFacts1766100000300 implements MigrationInterface {
  name = 'CustomerTypeOfFacts1766100000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION customer_type_of(has_live_order boolean, has_shop_id boolean, email text,
                                       has_phone boolean)
      RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE
          WHEN has_live_order OR has_shop_id THEN 'CUSTOMER'
          WHEN nullif(btrim(email), '') IS NOT NULL OR has_phone THEN 'LEAD'
          ELSE 'VISITOR' END
      $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION customer_derived_type(ws text, cid uuid, email text,
                                                      has_live_order boolean)
      RETURNS text LANGUAGE sql STABLE AS $$
        SELECT customer_type_of(
          has_live_order,
          EXISTS (SELECT 1 FROM customer_external_id x
                   WHERE x.workspace_id = ws AND x.customer_id = cid AND x.source = 'SHOP'),
          email,
          EXISTS (SELECT 1 FROM customer_phone p WHERE p.workspace_id = ws AND p.customer_id = cid))
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION customer_derived_type(ws text, cid uuid, email text,
                                                      has_live_order boolean)
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
    await q.query('DROP FUNCTION customer_type_of(boolean, boolean, text, boolean)');
  }
}
