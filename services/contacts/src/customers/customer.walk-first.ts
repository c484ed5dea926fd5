// A page of a text search (`name: { contains }`), whatever the text. The service's
// pools plan every statement once for all values (plan_cache_mode=force_generic_plan,
// database.ts), so Postgres cannot tell "nguyen", which a customer in sixteen matches,
// from "nguyen van duc", which one in three thousand does. Each has one good plan:
//   - a common text: walk the sort's index and keep the matches (51 rows in ~800);
//   - a rare one: the trigram index's matches, then the top of them by the sort
//     (walking 1,000,000 customers for 326 matches took 40–100 ms).
// So the page walks the first WALK_FIRST customers in the sort's order, and only
// when they hold fewer than a page of matches asks the trigram index (the walk is then
// known to be the wrong plan). Both branches give the page's first rows in the sort's
// order; the unused one is not run (a one-time filter on the walk's count).
//
// The trigram index leads with workspace_id (btree_gin), and that key is worth reading
// only when it excludes much: for a workspace holding most of the table (1,000,000 of
// 1,100,000 customers) it is a million-entry posting list read to drop a tenth, 7 of
// the index scan's 12 ms. There the index is asked for the text alone and the
// workspace checked on the rows; a small workspace keeps its key, which confines the
// search to its own rows. Which is which comes from the column's statistics, read at
// most every SHARE_TTL_MS per workspace and process (pg_stats costs milliseconds to plan).
import type { DataSource, EntityManager } from 'typeorm';
import { CUSTOMER_SELECT } from './customer.entity';
import type { CheckedSort } from './customer.sort';
import { SORT_SELECT, orderBy } from './customer.sort';
import type { CompiledWhere } from './customer.list';

/** Customers walked in the sort's order before the text's index is asked instead. */
export const WALK_FIRST = 2_000;

/** The share of the table's customers above which the workspace key is not read. */
export const MOST_OF_TABLE = 0.5;

const SHARE_TTL_MS = 10 * 60_000;
const shares = new Map<string, { most: boolean; until: number }>();

/**
 * Whether the workspace holds most of the customer table, as ANALYZE last counted it
 * (no statistics: no).
 */
export async function holdsMostCustomers(
  db: DataSource | EntityManager,
  workspaceId: string,
): Promise<boolean> {
  const known = shares.get(workspaceId);
  if (known && known.until > Date.now()) return known.most;
  const [{ share }]: { share: number }[] = await db.query(
    `SELECT coalesce((
       SELECT s.most_common_freqs[array_position(s.most_common_vals::text::text[], $1::text)]
         FROM pg_stats s
        WHERE s.schemaname = current_schema() AND s.tablename = 'customer'
          AND s.attname = 'workspace_id'), 0) AS share`,
    [workspaceId],
  );
  if (shares.size > 10_000) shares.clear();
  const most = share > MOST_OF_TABLE;
  shares.set(workspaceId, { most, until: Date.now() + SHARE_TTL_MS });
  return most;
}

/** Forgets what was read of the statistics (tests that ANALYZE). */
export function forgetCustomerShares(): void {
  shares.clear();
}

/**
 * The page's SQL: `where` over `customer c` (its $1 the workspace), `after` the keyset
 * conditions, `limit` the rows to return (a page and one more); `mostOfTable`: the
 * workspace holds most customers (holdsMostCustomers).
 */
export function walkFirst(
  where: CompiledWhere,
  after: string[],
  sort: CheckedSort[],
  limit: number,
  mostOfTable: boolean,
): string {
  const order = orderBy(sort);
  const continued = after.map((condition) => ` AND ${condition}`).join('');
  const matched = mostOfTable
    ? // The workspace compared as an expression no index has: checked on each row.
      `(c.workspace_id || '') = $1 AND ${where.withinWorkspace ?? 'TRUE'}`
    : where.sql;
  return `WITH walked AS MATERIALIZED (
      SELECT c.* FROM (SELECT * FROM customer c WHERE c.workspace_id = $1${continued}
                        ORDER BY ${order} LIMIT ${WALK_FIRST}) c
       WHERE ${where.sql} ORDER BY ${order} LIMIT ${limit}),
    found AS (SELECT count(*) = ${limit} AS enough FROM walked)
    SELECT ${CUSTOMER_SELECT}, ${SORT_SELECT} FROM (
      SELECT * FROM walked WHERE (SELECT enough FROM found)
      UNION ALL
      SELECT * FROM (SELECT * FROM customer c
                      WHERE NOT (SELECT enough FROM found) AND ${matched}${continued}
                     OFFSET 0) c
    ) c ORDER BY ${order} LIMIT ${limit}`;
}
