// customerStats: the customers of a filter counted per combination of keys, in one
// statement over `customer c`. The filter is the list's own (customer.list.ts
// compileWhere: the workspace, staff's scope, the filter language, saved lists), so a
// group's count is what `customers(filter)` with the group's values counts.
import type { DataSource } from 'typeorm';
import { groupedStatsSql, readGroups } from '@customer-graph/runtime';
import type { StatsGroup } from '@customer-graph/runtime';
import { compileWhere } from '../customers/customer.list';
import type { ListScope } from '../customers/customer.list';
import type { CustomerFilterInput } from '../filter/filter.types';
import type { CustomerStatsKey } from '../generated/graphql';
import { CUSTOMER_STATS_KEYS } from './customer-stats.keys';

export type CustomerStatsGroup = StatsGroup<CustomerStatsKey, { count: number }>;

/** The statement and its values, built and checked but not run (the bench EXPLAINs it). */
export async function customerStatsQuery(
  db: DataSource,
  scope: ListScope,
  filter: CustomerFilterInput | null | undefined,
  groupBy: readonly CustomerStatsKey[],
): Promise<{ sql: string; params: unknown[] }> {
  // Tags and labels by their hashes, which customer_stats_idx holds (as TAG and LABEL
  // group): a grouping on the index's columns reads no customer row.
  const where = await compileWhere(db, scope, filter, 'filter', true);
  const sql = groupedStatsSql({
    from: 'customer c',
    where: where.sql,
    keys: groupBy.map((key) => CUSTOMER_STATS_KEYS[key]),
    figures: { count: 'count(*)::int' },
    representative: { table: 'customer', id: 'c.id' },
  });
  return { sql, params: where.params.values };
}

export async function customerStats(
  db: DataSource,
  scope: ListScope,
  filter: CustomerFilterInput | null | undefined,
  groupBy: readonly CustomerStatsKey[],
): Promise<CustomerStatsGroup[]> {
  const q = await customerStatsQuery(db, scope, filter, groupBy);
  const rows: Record<string, unknown>[] = await db.query(q.sql, q.params);
  return readGroups(rows, groupBy, 'narrow the filter, or group by coarser keys');
}
