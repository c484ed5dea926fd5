import type { MigrationInterface, QueryRunner } from 'typeorm';
import { foldSearchText } from '../filter/search-text';

/**
 * The full customer record (issue 5): search columns, labels, staff, group, custom
 * values, the stored derived type, and notes. Every index leads with workspace_id.
 *
 * The *_search columns hold the text folded by foldSearchText (lowercase, no
 * diacritics, đ → d), written by the service with the text itself, so "nguyen van
 * duc" finds "Nguyễn Văn Đức" through a trigram index. They use the "C" collation:
 * folded text is plain ASCII, and C makes one btree serve both sorting and
 * `LIKE 'prefix%'`.
 */
export class CustomerRecord1763900000130 implements MigrationInterface {
  name = 'CustomerRecord1763900000130';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await q.query('CREATE EXTENSION IF NOT EXISTS btree_gin');
    await q.query(`
      ALTER TABLE customer
        ADD COLUMN name_search text COLLATE "C" NOT NULL DEFAULT '',
        ADD COLUMN address_search text COLLATE "C" NOT NULL DEFAULT '',
        ADD COLUMN city_search text COLLATE "C" NOT NULL DEFAULT '',
        ADD COLUMN timezone text,
        ADD COLUMN avatar_url text,
        ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
        ADD COLUMN labels text[] NOT NULL DEFAULT '{}',
        ADD COLUMN assigned_staff text,
        ADD COLUMN customer_group text CHECK (customer_group IN ('PRIORITY', 'RESTRICTED')),
        ADD COLUMN type text NOT NULL DEFAULT 'VISITOR'
          CHECK (type IN ('VISITOR', 'LEAD', 'CUSTOMER')),
        ADD COLUMN custom jsonb NOT NULL DEFAULT '{}'`);
    await this.backfill(q);
    const indexes = [
      'customer_workspace_updated_idx ON customer (workspace_id, updated_at, id)',
      'customer_workspace_name_idx ON customer (workspace_id, name_search, id)',
      'customer_name_trgm_idx ON customer USING gin (workspace_id, name_search gin_trgm_ops)',
      'customer_address_trgm_idx ON customer USING gin (workspace_id, address_search gin_trgm_ops)',
      'customer_workspace_city_idx ON customer (workspace_id, city)',
      'customer_workspace_email_idx ON customer (workspace_id, lower(email))',
      'customer_workspace_birthday_idx ON customer (workspace_id, birthday)',
      'customer_workspace_staff_idx ON customer (workspace_id, assigned_staff, created_at, id)',
      'customer_tags_idx ON customer USING gin (workspace_id, tags)',
      'customer_labels_idx ON customer USING gin (workspace_id, labels)',
      'customer_custom_idx ON customer USING gin (workspace_id, custom jsonb_path_ops)',
      `customer_workspace_group_idx ON customer (workspace_id, customer_group)
         WHERE customer_group IS NOT NULL`,
      'customer_external_id_value_idx ON customer_external_id (workspace_id, external_id)',
    ];
    for (const index of indexes) await q.query(`CREATE INDEX ${index}`);
    await q.query(`
      CREATE TABLE customer_note (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        customer_id uuid NOT NULL,
        text text NOT NULL,
        author text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT customer_note_customer_fk FOREIGN KEY (workspace_id, customer_id)
          REFERENCES customer (workspace_id, id) ON DELETE CASCADE
      )`);
    await q.query(
      'CREATE INDEX customer_note_customer_idx ON customer_note (workspace_id, customer_id, created_at DESC, id DESC)',
    );
  }

  /**
   * Folds existing names and addresses, and derives existing customers' types with
   * customer_derived_type — the one definition of the type (seed 004), which every
   * write that can change it calls in the same statement.
   */
  private async backfill(q: QueryRunner): Promise<void> {
    const rows: { id: string; name: string | null; address: string | null; city: string | null }[] =
      await q.query('SELECT id, name, address, city FROM customer');
    for (let i = 0; i < rows.length; i += 1000) {
      const batch = rows.slice(i, i + 1000);
      await q.query(
        `UPDATE customer c SET name_search = u.n, address_search = u.a, city_search = u.c
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS u(id, n, a, c)
          WHERE c.id = u.id`,
        [
          batch.map((r) => r.id),
          batch.map((r) => foldSearchText(r.name ?? '')),
          batch.map((r) => foldSearchText(r.address ?? '')),
          batch.map((r) => foldSearchText(r.city ?? '')),
        ],
      );
    }
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
    await q.query(
      'UPDATE customer SET type = customer_derived_type(workspace_id, id, name, email)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE customer_note');
    await q.query('DROP FUNCTION customer_derived_type');
    await q.query('DROP INDEX customer_external_id_value_idx');
    await q.query(`
      ALTER TABLE customer
        DROP COLUMN name_search, DROP COLUMN address_search, DROP COLUMN city_search,
        DROP COLUMN timezone, DROP COLUMN avatar_url, DROP COLUMN tags, DROP COLUMN labels,
        DROP COLUMN assigned_staff, DROP COLUMN customer_group, DROP COLUMN type,
        DROP COLUMN custom`);
  }
}
