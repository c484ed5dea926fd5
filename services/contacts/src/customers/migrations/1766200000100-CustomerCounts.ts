import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many customers each workspace has, kept as it changes (customer.count.ts): every
 * statement that inserts or deletes customers adds one row holding its net change for
 * each workspace it touched, so concurrent writers never wait on one counter row. A
 * workspace's count is the sum of its rows; a periodic pass folds them into one.
 * `count(*)` of a workspace read every customer's index entry (100,000 for a list page's
 * totalCount, bench:page), and was heavy work queued behind the workspace's other
 * counts.
 */
export class CustomerCounts1766200000100 implements MigrationInterface {
  name = 'CustomerCounts1766200000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer_count (
        workspace_id text NOT NULL,
        n bigint NOT NULL
      )`);
    await q.query('CREATE INDEX customer_count_workspace ON customer_count (workspace_id)');
    await q.query(`
      CREATE FUNCTION customer_count_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO customer_count (workspace_id, n)
        SELECT workspace_id, count(*) FROM added GROUP BY workspace_id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION customer_count_removed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO customer_count (workspace_id, n)
        SELECT workspace_id, -count(*) FROM removed GROUP BY workspace_id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER customer_count_insert AFTER INSERT ON customer
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT
      EXECUTE FUNCTION customer_count_added()`);
    await q.query(`
      CREATE TRIGGER customer_count_delete AFTER DELETE ON customer
      REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
      EXECUTE FUNCTION customer_count_removed()`);
    // A customer never moves between workspaces; one that tried would be miscounted.
    await q.query(`
      CREATE FUNCTION customer_workspace_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'a customer cannot move to another workspace';
      END $$`);
    await q.query(`
      CREATE TRIGGER customer_workspace_fixed BEFORE UPDATE OF workspace_id ON customer
      FOR EACH ROW WHEN (OLD.workspace_id IS DISTINCT FROM NEW.workspace_id)
      EXECUTE FUNCTION customer_workspace_fixed()`);
    await q.query(`
      INSERT INTO customer_count (workspace_id, n)
      SELECT workspace_id, count(*) FROM customer GROUP BY workspace_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER customer_workspace_fixed ON customer');
    await q.query('DROP TRIGGER customer_count_delete ON customer');
    await q.query('DROP TRIGGER customer_count_insert ON customer');
    await q.query('DROP FUNCTION customer_workspace_fixed()');
    await q.query('DROP FUNCTION customer_count_removed()');
    await q.query('DROP FUNCTION customer_count_added()');
    await q.query('DROP TABLE customer_count');
  }
}
