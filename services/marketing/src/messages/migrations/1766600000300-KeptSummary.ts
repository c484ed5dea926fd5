import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Marketing summary kept per customer and channel (issue 16; docs/marketing.md, "The
 * kept summary"): `marketing_customer_summary` holds what `marketingSummary` shows —
 * messages (every one, queued included), sent (status_rank ≥ 1), delivered (≥ 3),
 * opened (≥ 4), clicked (5), failed (= 2) and last_at (the latest
 * coalesce(sent_at, created_at)) — so a page of summaries is one index scan instead of
 * an aggregate over every month of marketing_message.
 *
 * Kept by three statement-level AFTER triggers on the partitioned parent, with transition
 * tables (Postgres gives a trigger on a partitioned table the rows of every partition the
 * statement touched; a statement naming one partition directly fires none: the service
 * always names the parent). Each statement's rows are netted (an UPDATE's old rows
 * EXCEPT ALL its new ones: a row whose figures did not move counts for nothing), grouped
 * per (workspace, customer, channel) and added in one upsert, in key order. Counts are
 * deltas, so concurrent writers to one customer commute (the upsert re-reads the row it
 * waited for); last_at is the greatest of what is kept and what was added, and is
 * recomputed from the messages only when a statement took away a row that may have been
 * the latest (a merge moving a customer's messages, a delete) — after its row lock is
 * held, as a statement of its own, so it sees every writer that committed before.
 * A group left with no message is deleted. Months dropped past the retention are
 * subtracted by the retention itself (message.partitions.ts): DROP TABLE fires nothing.
 *
 * Existing messages are summed here, after the triggers exist, in this migration's
 * transaction (CREATE TRIGGER locks out writers until it commits).
 */
export class KeptSummary1766600000300 implements MigrationInterface {
  name = 'KeptSummary1766600000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE marketing_customer_summary (
        workspace_id text NOT NULL,
        customer_id uuid NOT NULL,
        channel text NOT NULL,
        messages int NOT NULL,
        sent int NOT NULL,
        delivered int NOT NULL,
        opened int NOT NULL,
        clicked int NOT NULL,
        failed int NOT NULL,
        last_at timestamptz(3) NOT NULL,
        PRIMARY KEY (workspace_id, customer_id, channel)
      ) WITH (fillfactor = 80)`);
    // The figures of a delta `d` (k = +1 a row added, -1 a row taken away; r its
    // status_rank; at its coalesce(sent_at, created_at)), then the groups whose last_at
    // must be recomputed or that hold no message any more.
    const apply = `,
      g AS (
        SELECT workspace_id, customer_id, channel, sum(k)::int AS messages,
               coalesce(sum(k) FILTER (WHERE r >= 1), 0)::int AS sent,
               coalesce(sum(k) FILTER (WHERE r >= 3), 0)::int AS delivered,
               coalesce(sum(k) FILTER (WHERE r >= 4), 0)::int AS opened,
               coalesce(sum(k) FILTER (WHERE r >= 5), 0)::int AS clicked,
               coalesce(sum(k) FILTER (WHERE r = 2), 0)::int AS failed,
               max(at) FILTER (WHERE k > 0) AS added_at,
               max(at) FILTER (WHERE k < 0) AS removed_at
          FROM d GROUP BY workspace_id, customer_id, channel),
      up AS (
        INSERT INTO marketing_customer_summary AS s (workspace_id, customer_id, channel,
          messages, sent, delivered, opened, clicked, failed, last_at)
        SELECT workspace_id, customer_id, channel, messages, sent, delivered, opened, clicked,
               failed, coalesce(added_at, removed_at)
          FROM g ORDER BY workspace_id, customer_id, channel
        ON CONFLICT (workspace_id, customer_id, channel) DO UPDATE SET
          messages = s.messages + EXCLUDED.messages, sent = s.sent + EXCLUDED.sent,
          delivered = s.delivered + EXCLUDED.delivered, opened = s.opened + EXCLUDED.opened,
          clicked = s.clicked + EXCLUDED.clicked, failed = s.failed + EXCLUDED.failed,
          last_at = greatest(s.last_at, EXCLUDED.last_at)
        RETURNING workspace_id, customer_id, channel, messages, last_at)
      SELECT array_agg(g.workspace_id), array_agg(g.customer_id), array_agg(g.channel)
        INTO k_ws, k_customer, k_channel
        FROM up JOIN g USING (workspace_id, customer_id, channel)
       WHERE up.messages = 0
          OR (g.removed_at >= up.last_at AND (g.added_at IS NULL OR g.added_at < g.removed_at));`;
    const row = (t: string) =>
      `${t}.workspace_id, ${t}.customer_id, ${t}.channel, ${t}.status_rank AS r,
       coalesce(${t}.sent_at, ${t}.created_at) AS at`;
    await q.query(`
      CREATE FUNCTION marketing_summary_keep() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        k_ws text[];
        k_customer uuid[];
        k_channel text[];
      BEGIN
        IF TG_OP = 'INSERT' THEN
          WITH d AS (SELECT ${row('n')}, 1 AS k FROM new_rows n) ${apply}
        ELSIF TG_OP = 'DELETE' THEN
          WITH d AS (SELECT ${row('o')}, -1 AS k FROM old_rows o) ${apply}
        ELSE
          WITH o AS (SELECT o.id, o.created_at, ${row('o')} FROM old_rows o),
               n AS (SELECT n.id, n.created_at, ${row('n')} FROM new_rows n),
               d AS (
                 SELECT workspace_id, customer_id, channel, r, at, -1 AS k
                   FROM (SELECT * FROM o EXCEPT ALL SELECT * FROM n) x
                 UNION ALL
                 SELECT workspace_id, customer_id, channel, r, at, 1 AS k
                   FROM (SELECT * FROM n EXCEPT ALL SELECT * FROM o) y) ${apply}
        END IF;
        IF k_ws IS NOT NULL THEN
          DELETE FROM marketing_customer_summary s
           USING unnest(k_ws, k_customer, k_channel) AS k(ws, customer, channel)
           WHERE s.workspace_id = k.ws AND s.customer_id = k.customer AND s.channel = k.channel
             AND s.messages = 0;
          UPDATE marketing_customer_summary s SET last_at = x.at
            FROM (SELECT k.ws, k.customer, k.channel,
                         (SELECT max(coalesce(m.sent_at, m.created_at)) FROM marketing_message m
                           WHERE m.workspace_id = k.ws AND m.customer_id = k.customer
                             AND m.channel = k.channel) AS at
                    FROM unnest(k_ws, k_customer, k_channel) AS k(ws, customer, channel)) x
           WHERE s.workspace_id = x.ws AND s.customer_id = x.customer AND s.channel = x.channel
             AND x.at IS NOT NULL;
        END IF;
        RETURN NULL;
      END
      $fn$`);
    // Transition tables allow one event per trigger.
    await q.query(`CREATE TRIGGER marketing_summary_insert AFTER INSERT ON marketing_message
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION marketing_summary_keep()`);
    await q.query(`CREATE TRIGGER marketing_summary_update AFTER UPDATE ON marketing_message
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION marketing_summary_keep()`);
    await q.query(`CREATE TRIGGER marketing_summary_delete AFTER DELETE ON marketing_message
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION marketing_summary_keep()`);
    await q.query(`
      INSERT INTO marketing_customer_summary (workspace_id, customer_id, channel, messages, sent,
        delivered, opened, clicked, failed, last_at)
      SELECT workspace_id, customer_id, channel, count(*),
             count(*) FILTER (WHERE status_rank >= 1), count(*) FILTER (WHERE status_rank >= 3),
             count(*) FILTER (WHERE status_rank >= 4), count(*) FILTER (WHERE status_rank >= 5),
             count(*) FILTER (WHERE status_rank = 2), max(coalesce(sent_at, created_at))
        FROM marketing_message GROUP BY workspace_id, customer_id, channel`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER marketing_summary_delete ON marketing_message');
    await q.query('DROP TRIGGER marketing_summary_update ON marketing_message');
    await q.query('DROP TRIGGER marketing_summary_insert ON marketing_message');
    await q.query('DROP FUNCTION marketing_summary_keep()');
    await q.query('DROP TABLE marketing_customer_summary');
  }
}
