import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Phone groups remember the unknown (issue 15): a number of a PRIORITY/RESTRICTED
 * upload that no customer has is kept in remembered_phone_group, and the customer who
 * later gets it is put in the group in the same statement that gives them the number.
 *
 * Every phone a customer gets is a row inserted into customer_phone (createCustomer,
 * updateCustomer, a Zalo follower's or an order's buyer's phone, a call, a merge, an
 * import), so the one place is a statement-level trigger on that table: it sets the
 * group of the customers whose new numbers are remembered (the newest upload among
 * them wins) and forgets those numbers (they are known now; a later upload marks the
 * customer directly). With nothing remembered it is one index probe per statement.
 */
export class RememberedPhones1766100000100 implements MigrationInterface {
  name = 'RememberedPhones1766100000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE remembered_phone_group (
        workspace_id text NOT NULL REFERENCES workspace (id),
        e164 text NOT NULL,
        -- For cursors of the list (a page is sorted by uploaded_at, id).
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        customer_group text NOT NULL CHECK (customer_group IN ('PRIORITY', 'RESTRICTED')),
        uploaded_at timestamptz(3) NOT NULL DEFAULT now(),
        uploaded_by text NOT NULL,
        PRIMARY KEY (workspace_id, e164)
      )`);
    await q.query(
      `CREATE INDEX remembered_phone_group_list_idx
         ON remembered_phone_group (workspace_id, uploaded_at DESC, id DESC)`,
    );
    await q.query(`
      CREATE FUNCTION apply_remembered_phone_group() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM remembered_phone_group r
                         JOIN added a ON r.workspace_id = a.workspace_id AND r.e164 = a.e164) THEN
          RETURN NULL;
        END IF;
        WITH hit AS (
          DELETE FROM remembered_phone_group r USING added a
           WHERE r.workspace_id = a.workspace_id AND r.e164 = a.e164
          RETURNING a.workspace_id, a.customer_id, r.customer_group, r.uploaded_at, r.e164),
        newest AS (
          SELECT DISTINCT ON (workspace_id, customer_id) workspace_id, customer_id, customer_group
            FROM hit ORDER BY workspace_id, customer_id, uploaded_at DESC, e164)
        UPDATE customer c SET customer_group = n.customer_group, updated_at = now()
          FROM newest n
         WHERE c.workspace_id = n.workspace_id AND c.id = n.customer_id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER customer_phone_remembered_group
        AFTER INSERT ON customer_phone REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION apply_remembered_phone_group()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER customer_phone_remembered_group ON customer_phone');
    await q.query('DROP FUNCTION apply_remembered_phone_group()');
    await q.query('DROP TABLE remembered_phone_group');
  }
}
