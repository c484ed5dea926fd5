// Grouped figures for analysts (docs/analytics.md): customerStats, orderStats,
// campaignFunnel and callStats share one shape — up to MAX_GROUP_KEYS keys, each group
// its keys as (key, value) pairs and its figures — and one way to build the statement:
//
//   SELECT <shown key>::text AS k0, …, g."figure", …
//     FROM (SELECT <key expression> AS r0, …, <aggregate> AS "figure", …
//             FROM <rows> <joins> WHERE <workspace, scope, filter> GROUP BY 1, …) g
//    ORDER BY g.r0 NULLS LAST, … LIMIT MAX_STATS_GROUPS + 1
//
// Groups form on the raw expression (a timestamp truncated to its day) and are shown
// as text only once grouped: formatting a million rows' dates before grouping cost
// more than the grouping. A key of many values per row (tags) groups by the whole
// array, or by what stands for it in an index (its values' hashes), and the groups are
// then taken apart into its values (manyValuedKey, hashedManyValuedKey). An answer is
// whole or refused: past MAX_STATS_GROUPS groups the request is BAD_USER_INPUT on
// `filter`, never a silently cut list whose figures no longer add up to the filter's
// total.
import { badInput, publicError, PublicErrorCode } from './errors';

/** Keys one request may group by. */
export const MAX_GROUP_KEYS = 3;
/** Groups one answer may hold (the fields' `@listSize(assumedSize:)` says the same). */
export const MAX_STATS_GROUPS = 1000;
/** Days and months are the seller's: Vietnam has one zone and no daylight saving. */
export const STATS_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** One key of a grouping, as SQL over the statement's aliases. */
export interface StatsKey {
  /** The expression rows are grouped by (NULL: the rows without a value). */
  group: string;
  /** How a group's raw value is shown, over `raw`; the raw value as text by default. */
  show?: (raw: string) => string;
  /** A join the key needs (a lateral subquery of the row's values); once per key. */
  join?: string;
  /** `group` is a text array and each of its values is a group (manyValuedKey). */
  many?: boolean;
  /**
   * With `many`: `group` is not the array but what stands for it (its values' hashes,
   * hashedManyValuedKey), and this is the array, read from the group's representative
   * row (GroupedQuery.representative, alias `r`).
   */
  values?: string;
}

/** A day or a month of an instant in Vietnam time, grouped by its start. */
export function dayKey(instant: string, unit: 'day' | 'month'): StatsKey {
  return {
    group: `date_trunc('${unit}', ${instant} AT TIME ZONE '${STATS_TIME_ZONE}')`,
    show: (raw) => `to_char(${raw}, '${unit === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM'}')`,
  };
}

/**
 * A day or a month the table keeps per row, as a `date` column (a stored generated
 * column of what dayKey computes): grouped as it is, shown as dayKey shows it. Where a
 * table is large, this is the cheaper key: computing the day of every row at grouping
 * time cost more than the grouping (bench:analytics, docs/analytics.md).
 */
export function keptDayKey(column: string, unit: 'day' | 'month'): StatsKey {
  return { group: column, show: dayKey(column, unit).show };
}

/**
 * A key of many values per row (a customer's tags): the row counts once in each of its
 * values' groups, and once in the NULL group when it has none. The array's values must
 * be distinct, as every writer of tags and labels keeps them. The rows are grouped by
 * the whole array first and the few groups that makes are then taken apart, which
 * bench:analytics measured 15% faster than taking every row's array apart (one
 * lateral unnest per row); so a grouping with such a key takes only counts, which add
 * up again.
 */
export function manyValuedKey(array: string): StatsKey {
  return { group: array, many: true };
}

/**
 * manyValuedKey where the rows keep their array's values hashed (`hashes`, NULL for no
 * values) beside it, in an index the grouping reads without the rows: groups form on
 * the hashes, and each group's values are read from one row of the group (`array`
 * over the representative's alias `r`). Rows with equal hash arrays have equal arrays
 * (a 64-bit hash: two values collide about once in 10^19 pairs).
 */
export function hashedManyValuedKey(hashes: string, array: string): StatsKey {
  return { group: hashes, many: true, values: array };
}

/**
 * The keys asked for, checked: at most `limit` (MAX_GROUP_KEYS), none twice. An empty
 * list is one group, the whole (the filter's total).
 */
export function checkGroupBy<K extends string>(
  groupBy: readonly K[] | null | undefined,
  field = 'groupBy',
  limit = MAX_GROUP_KEYS,
): K[] {
  const keys = [...(groupBy ?? [])];
  if (keys.length > limit) {
    throw publicError(
      PublicErrorCode.BAD_USER_INPUT,
      `at most ${limit} keys on ${field}; ${keys.length} given`,
      { field, limit, actual: keys.length },
    );
  }
  keys.forEach((key, i) => {
    if (keys.indexOf(key) !== i) throw badInput(`${field}[${i}]`, `${key} is given twice`);
  });
  return keys;
}

export interface GroupedQuery {
  /** `customer c`, `customer_order o` …: the rows counted. */
  from: string;
  /** Joins the figures or the filter need besides the keys' own. */
  joins?: string[];
  /** The whole condition, `workspace_id = $1` first. */
  where: string;
  keys: StatsKey[];
  /** Figure name → its aggregate over the rows (`count(*)::int`). */
  figures: Record<string, string>;
  /**
   * For hashedManyValuedKey keys: the rows' table and id (`customer`, `c.id`). One row
   * of each group is read back as `r`, within the workspace ($1): any row of a group
   * has its keys' values.
   */
  representative?: { table: string; id: string };
}

/** The one statement of a grouping (see the head of this file). */
export function groupedStatsSql(q: GroupedQuery): string {
  const positions = q.keys.map((_, i) => i + 1).join(', ');
  const groupBy = q.keys.length ? `GROUP BY ${positions}` : '';
  const raw = q.keys.map((k, i) => `${k.group} AS r${i}`);
  const figures = Object.entries(q.figures).map(([name, sql]) => `${sql} AS "${name}"`);
  const hashed = q.keys.some((k) => k.values);
  if (hashed && !q.representative) throw new Error('a hashed key needs a representative');
  if (hashed) figures.push(`any_value(${q.representative!.id}) AS rep`);
  const joins = [...(q.joins ?? []), ...q.keys.flatMap((k) => (k.join ? [k.join] : []))];
  let grouped = `SELECT ${[...raw, ...figures].join(', ')}
            FROM ${q.from} ${joins.join(' ')}
           WHERE ${q.where} ${groupBy}`;
  if (q.keys.some((k) => k.many)) grouped = takeApart(grouped, q);
  const shown = q.keys.map((k, i) => `(${k.show ? k.show(`g.r${i}`) : `g.r${i}`})::text AS k${i}`);
  const outer = [...shown, ...Object.keys(q.figures).map((name) => `g."${name}"`)];
  const orderBy = q.keys.length
    ? `ORDER BY ${q.keys.map((_, i) => `g.r${i} NULLS LAST`).join(', ')}`
    : '';
  return `SELECT ${outer.join(', ')}
    FROM (${grouped}) g
   ${orderBy} LIMIT ${MAX_STATS_GROUPS + 1}`;
}

/** Groups by whole arrays, taken apart into their values: the counts add up again. */
function takeApart(grouped: string, q: GroupedQuery): string {
  // Only counts add up across the values' groups (each is summed as an int below).
  const notCounts = Object.entries(q.figures).filter(([, sql]) => !/^\(?count\(/.test(sql));
  if (notCounts.length > 0) {
    throw new Error(`a many-valued key takes counts only, not ${notCounts.map(([n]) => n)}`);
  }
  const columns = q.keys.map((k, i) => (k.many ? `u${i}.v AS r${i}` : `a.r${i}`));
  const unnest = q.keys.flatMap((k, i) => {
    if (!k.many) return [];
    const array = k.values ?? `a.r${i}`;
    return [
      `CROSS JOIN LATERAL unnest(CASE WHEN cardinality(${array}) > 0 THEN ${array}
            ELSE '{NULL}'::text[] END) AS u${i}(v)`,
    ];
  });
  const sums = Object.keys(q.figures).map((name) => `sum(a."${name}")::int AS "${name}"`);
  const rep = q.representative;
  const representative =
    rep && q.keys.some((k) => k.values)
      ? `JOIN ${rep.table} r ON r.workspace_id = $1 AND r.id = a.rep`
      : '';
  return `SELECT ${[...columns, ...sums].join(', ')}
            FROM (${grouped}) a ${representative} ${unnest.join(' ')}
           GROUP BY ${q.keys.map((_, i) => i + 1).join(', ')}`;
}

/** A group's key and its value, as the API shows it. */
export interface StatsKeyValue<K extends string> {
  key: K;
  value: string | null;
}

export type StatsGroup<K extends string, F> = F & { keys: StatsKeyValue<K>[] };

/**
 * The statement's rows as groups: `keys` in the order asked for, the figures as they
 * came. More than MAX_STATS_GROUPS rows is BAD_USER_INPUT on `filter`.
 */
export function readGroups<K extends string, F extends object>(
  rows: readonly Record<string, unknown>[],
  groupBy: readonly K[],
  narrow: string,
): StatsGroup<K, F>[] {
  if (rows.length > MAX_STATS_GROUPS) {
    throw publicError(
      PublicErrorCode.BAD_USER_INPUT,
      `more than ${MAX_STATS_GROUPS} groups: ${narrow}`,
      { field: 'filter', limit: MAX_STATS_GROUPS },
    );
  }
  return rows.map((row) => {
    const group: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(row)) {
      if (!/^k\d+$/.test(name)) group[name] = value;
    }
    group.keys = groupBy.map((key, i) => ({ key, value: row[`k${i}`] as string | null }));
    return group as StatsGroup<K, F>;
  });
}
