import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What customerStats groups and filters by, kept per customer as stored generated
 * columns and held in customer_stats_idx with the id, so a grouping of a whole
 * workspace on the index's keys reads no customer row (analytics/customer-stats.keys.ts,
 * docs/analytics.md):
 *
 * - `created_day`, `created_month`: the Vietnam day and month of `created_at`
 *   (CREATED_DAY, CREATED_MONTH). Computed per row at grouping time, `date_trunc` over
 *   `AT TIME ZONE` cost more than the grouping: month × type on 1,000,000 customers was
 *   470–550 ms p95 against about 200 ms stored (bench:analytics). The expression
 *   statistics of 1767000000100 become plain column statistics and are dropped.
 * - `tag_hashes`, `label_hashes`: the tags' and labels' 64-bit hashes
 *   (`customer_value_hashes`, in the values' order; NULL when there are none). The
 *   arrays themselves cannot go into an index entry (50 tags of 50 characters pass its
 *   2,704-byte limit), so TAG, LABEL and tag filters read every row: 450–540 ms p95
 *   against 260–330 ms with the hashes. customerStats groups by the hashes and shows
 *   each group's values from one customer of it (the id); its filters compare hashes
 *   (filter.fields.ts, tagList). Two values share a 64-bit hash about once in 10^19
 *   pairs; the list, exports and bulk work compare the values.
 *
 * Adding the columns rewrites the table, locked while it does: on the 2-core development
 * machine, 1,200,000 customers took about 40 s, measured with the index build and a
 * VACUUM ANALYZE after it.
 */
export class CustomerStatsColumns1767100000100 implements MigrationInterface {
  name = 'CustomerStatsColumns1767100000100';

  async up(q: QueryRunner): Promise<void> {
    // hashtextextended is the hash Postgres's hash partitioning stores: stable across
    // versions. ORDINALITY keeps the values' order, so equal arrays hash equal.
    await q.query(`CREATE FUNCTION customer_value_hashes(vals text[]) RETURNS bigint[]
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      RETURN ARRAY(SELECT hashtextextended(u.v, 0)
                     FROM unnest(vals) WITH ORDINALITY AS u(v, i) ORDER BY u.i)`);
    // Most customers have no tags or labels: for them no function is called.
    await q.query(`ALTER TABLE customer
      ADD COLUMN created_day date
        GENERATED ALWAYS AS ((created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) STORED,
      ADD COLUMN created_month date
        GENERATED ALWAYS AS (date_trunc('month', created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) STORED,
      ADD COLUMN tag_hashes bigint[] GENERATED ALWAYS AS (
        CASE WHEN cardinality(tags) > 0 THEN customer_value_hashes(tags) END) STORED,
      ADD COLUMN label_hashes bigint[] GENERATED ALWAYS AS (
        CASE WHEN cardinality(labels) > 0 THEN customer_value_hashes(labels) END) STORED`);
    await q.query('DROP INDEX customer_stats_idx');
    await q.query(`CREATE INDEX customer_stats_idx ON customer (workspace_id)
      INCLUDE (type, city, gender, customer_group, loyalty_tier_rank, loyalty_tier_name,
               assigned_staff, created_at, has_phone, created_day, created_month,
               tag_hashes, label_hashes, id)`);
    await q.query('DROP STATISTICS customer_created_month_stx');
    await q.query('DROP STATISTICS customer_created_day_stx');
    await q.query('ANALYZE customer');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const unit of ['day', 'month']) {
      await q.query(`CREATE STATISTICS customer_created_${unit}_stx
        ON (date_trunc('${unit}', created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')) FROM customer`);
    }
    await q.query('DROP INDEX customer_stats_idx');
    await q.query(`CREATE INDEX customer_stats_idx ON customer (workspace_id)
      INCLUDE (type, city, gender, customer_group, loyalty_tier_rank, loyalty_tier_name,
               assigned_staff, created_at, has_phone)`);
    await q.query(`ALTER TABLE customer DROP COLUMN label_hashes, DROP COLUMN tag_hashes,
      DROP COLUMN created_month, DROP COLUMN created_day`);
    await q.query('DROP FUNCTION customer_value_hashes(text[])');
  }
}
