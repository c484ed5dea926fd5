import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each customer's order figures (`Customer.orderSummary`), kept on its
 * customer_order_version row instead of aggregating every order of a page's customers
 * on each read (issue 16; docs/orders.md). Statement triggers on customer_order keep
 * them in the transaction of every write, whatever writes (upsert, import, a Shopee
 * push, matching by phone, attachOrder, a deletion or erasure, a merge, a seed):
 *
 *   1. the statement's rows, old ones counted −1 and new ones +1, netted per customer
 *      and per value (an update that changes no figure nets to nothing);
 *   2. one INSERT … ON CONFLICT DO UPDATE adds the deltas, in (workspace, customer)
 *      order: counts and the amount spent are sums, the first and last order times
 *      LEAST/GREATEST of what was added. Its row lock is held until commit, so the
 *      writers of one customer apply their deltas one after another, each to the
 *      figures the previous one committed (the same lock publishSummaries takes);
 *   3. a customer that lost a counted order whose time was at the edge (its first or
 *      last) has that edge looked up again — in a new statement, under the lock, so
 *      it sees every change of the writers that held the lock before: an index probe.
 *
 * `version` 0: figures kept, no orders.customer.summary-changed published yet (the
 * first publication makes it 1, as before).
 */
export class KeptOrderFigures1766610000100 implements MigrationInterface {
  name = 'KeptOrderFigures1766610000100';

  async up(q: QueryRunner): Promise<void> {
    // No order is written while the triggers are made and the figures counted.
    await q.query('LOCK TABLE customer_order IN SHARE ROW EXCLUSIVE MODE');
    await q.query(`
      ALTER TABLE customer_order_version
        DROP CONSTRAINT customer_order_version_version_check,
        ADD CONSTRAINT customer_order_version_version_check CHECK (version >= 0),
        ADD COLUMN order_count int NOT NULL DEFAULT 0,
        ADD COLUMN completed_count int NOT NULL DEFAULT 0,
        ADD COLUMN total_spent bigint NOT NULL DEFAULT 0,
        ADD COLUMN first_order_at timestamptz(3),
        ADD COLUMN last_order_at timestamptz(3)`);
    for (const [event, referencing, changes] of TRIGGERS) {
      const name = `customer_order_figures_${event.toLowerCase()}`;
      await q.query(figuresFunction(name, changes));
      await q.query(`
        CREATE TRIGGER ${name} AFTER ${event} ON customer_order
        REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${name}()`);
    }
    await q.query(`
      INSERT INTO customer_order_version AS v (workspace_id, customer_id, version, order_count,
        completed_count, total_spent, first_order_at, last_order_at)
      SELECT workspace_id, customer_id, 0,
             count(*) FILTER (WHERE ${COUNTED}),
             count(*) FILTER (WHERE status = 'COMPLETED'),
             COALESCE(sum(total) FILTER (WHERE ${COUNTED}), 0),
             min(ordered_at) FILTER (WHERE ${COUNTED}),
             max(ordered_at) FILTER (WHERE ${COUNTED})
        FROM customer_order WHERE customer_id IS NOT NULL
       GROUP BY workspace_id, customer_id
      ON CONFLICT (workspace_id, customer_id) DO UPDATE SET
        order_count = EXCLUDED.order_count, completed_count = EXCLUDED.completed_count,
        total_spent = EXCLUDED.total_spent, first_order_at = EXCLUDED.first_order_at,
        last_order_at = EXCLUDED.last_order_at`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [event] of TRIGGERS) {
      const name = `customer_order_figures_${event.toLowerCase()}`;
      await q.query(`DROP TRIGGER ${name} ON customer_order`);
      await q.query(`DROP FUNCTION ${name}()`);
    }
    await q.query('DELETE FROM customer_order_version WHERE version = 0');
    await q.query(`
      ALTER TABLE customer_order_version
        DROP COLUMN order_count, DROP COLUMN completed_count, DROP COLUMN total_spent,
        DROP COLUMN first_order_at, DROP COLUMN last_order_at,
        DROP CONSTRAINT customer_order_version_version_check,
        ADD CONSTRAINT customer_order_version_version_check CHECK (version >= 1)`);
  }
}

/** Orders that count toward the figures: neither cancelled nor returned (order.summary.ts). */
const COUNTED = `status NOT IN ('CANCELLED', 'RETURNED')`;

const rows = (table: string, sign: number) =>
  `SELECT workspace_id, customer_id, status, total, ordered_at, ${sign} AS sign
     FROM ${table} WHERE customer_id IS NOT NULL`;

/** Per trigger: its event, transition tables, and the rows it counts (old −1, new +1). */
const TRIGGERS: [string, string, string][] = [
  ['INSERT', 'NEW TABLE AS new_rows', rows('new_rows', 1)],
  [
    'UPDATE',
    'OLD TABLE AS old_rows NEW TABLE AS new_rows',
    `${rows('old_rows', -1)} UNION ALL ${rows('new_rows', 1)}`,
  ],
  ['DELETE', 'OLD TABLE AS old_rows', rows('old_rows', -1)],
];

function figuresFunction(name: string, changes: string): string {
  return `
    CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      _ws text[]; _ids uuid[]; _orders int[]; _completed int[]; _spent bigint[];
      _added_first timestamptz[]; _added_last timestamptz[];
      _removed_first timestamptz[]; _removed_last timestamptz[];
    BEGIN
      SELECT array_agg(workspace_id ORDER BY workspace_id, customer_id),
             array_agg(customer_id ORDER BY workspace_id, customer_id),
             array_agg(orders ORDER BY workspace_id, customer_id),
             array_agg(completed ORDER BY workspace_id, customer_id),
             array_agg(spent ORDER BY workspace_id, customer_id),
             array_agg(added_first ORDER BY workspace_id, customer_id),
             array_agg(added_last ORDER BY workspace_id, customer_id),
             array_agg(removed_first ORDER BY workspace_id, customer_id),
             array_agg(removed_last ORDER BY workspace_id, customer_id)
        INTO _ws, _ids, _orders, _completed, _spent, _added_first, _added_last, _removed_first,
             _removed_last
        FROM (SELECT workspace_id, customer_id,
                     COALESCE(sum(n) FILTER (WHERE counted), 0)::int AS orders,
                     COALESCE(sum(n) FILTER (WHERE completed), 0)::int AS completed,
                     COALESCE(sum(n * total) FILTER (WHERE counted), 0)::bigint AS spent,
                     min(ordered_at) FILTER (WHERE counted AND n > 0) AS added_first,
                     max(ordered_at) FILTER (WHERE counted AND n > 0) AS added_last,
                     min(ordered_at) FILTER (WHERE counted AND n < 0) AS removed_first,
                     max(ordered_at) FILTER (WHERE counted AND n < 0) AS removed_last
                FROM (SELECT workspace_id, customer_id, ${COUNTED} AS counted,
                             status = 'COMPLETED' AS completed, total, ordered_at, sum(sign) AS n
                        FROM (${changes}) c
                       GROUP BY 1, 2, 3, 4, 5, 6
                      HAVING sum(sign) <> 0) net
               GROUP BY workspace_id, customer_id) d;
      IF _ids IS NULL THEN
        RETURN NULL;
      END IF;
      INSERT INTO customer_order_version AS v (workspace_id, customer_id, version, order_count,
        completed_count, total_spent, first_order_at, last_order_at)
      SELECT * FROM unnest(_ws, _ids, array_fill(0, ARRAY[cardinality(_ids)]), _orders,
                           _completed, _spent, _added_first, _added_last)
      ON CONFLICT (workspace_id, customer_id) DO UPDATE SET
        order_count = v.order_count + EXCLUDED.order_count,
        completed_count = v.completed_count + EXCLUDED.completed_count,
        total_spent = v.total_spent + EXCLUDED.total_spent,
        first_order_at = LEAST(v.first_order_at, EXCLUDED.first_order_at),
        last_order_at = GREATEST(v.last_order_at, EXCLUDED.last_order_at);
      UPDATE customer_order_version v SET
        first_order_at = (SELECT min(o.ordered_at) FROM customer_order o
                           WHERE o.workspace_id = v.workspace_id AND o.customer_id = v.customer_id
                             AND o.${COUNTED}),
        last_order_at = (SELECT max(o.ordered_at) FROM customer_order o
                          WHERE o.workspace_id = v.workspace_id AND o.customer_id = v.customer_id
                            AND o.${COUNTED})
        FROM unnest(_ws, _ids, _removed_first, _removed_last) AS r(workspace_id, customer_id, first_at, last_at)
       WHERE v.workspace_id = r.workspace_id AND v.customer_id = r.customer_id
         AND r.first_at IS NOT NULL
         AND (v.first_order_at IS NULL OR r.first_at <= v.first_order_at
              OR r.last_at >= v.last_order_at);
      RETURN NULL;
    END $$`;
}
