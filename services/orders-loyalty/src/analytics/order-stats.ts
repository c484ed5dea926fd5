// orderStats: the orders of a filter (Query.orders' own: orderFilterSql, and staff's
// scope) in figures per combination of keys, in one statement over `customer_order o`.
// Revenue follows Customer.orderSummary (orders/order.summary.ts): orders cancelled or
// returned (NOT_COUNTED) count in `count` but not as sales. Keys of the order's
// customer read this subgraph's own projections: its assignment (customer_access, fed
// by contacts' events) and its loyalty tier (loyalty_balance).
import type { DataSource } from 'typeorm';
import {
  groupedStatsSql,
  keptDayKey,
  projectedScopeSql,
  readGroups,
} from '@customer-graph/runtime';
import type { CustomerScope, StatsGroup, StatsKey } from '@customer-graph/runtime';
import type { OrderFilter, OrderStatsKey } from '../generated/graphql';
import { orderFilterSql } from '../orders/order.list';
import { NOT_COUNTED } from '../orders/order.summary';

const KEYS: Readonly<Record<OrderStatsKey, StatsKey>> = {
  SOURCE: { group: 'o.source' },
  STATUS: { group: 'o.status' },
  // Kept per row (migration 1767100000200): o.ordered_at's Vietnam day and month.
  DAY: keptDayKey('o.ordered_day', 'day'),
  MONTH: keptDayKey('o.ordered_month', 'month'),
  ASSIGNED_STAFF: {
    group: 'ca.assigned_staff',
    join: `LEFT JOIN customer_access ca ON ca.workspace_id = o.workspace_id
      AND ca.customer_id = o.customer_id AND NOT ca.deleted`,
  },
  // The tier's name while its rank is above 0 (rank 0: no tier), as contacts' list reads it.
  TIER: {
    group: 'CASE WHEN lb.tier_rank > 0 THEN lb.tier_name END',
    join: `LEFT JOIN loyalty_balance lb ON lb.workspace_id = o.workspace_id
      AND lb.customer_id = o.customer_id`,
  },
};

export type OrderStatsGroup = StatsGroup<
  OrderStatsKey,
  { count: number; salesCount: number; revenue: string; averageOrderValue: string }
>;

/** The statement and its values, built and checked but not run (the bench EXPLAINs it). */
export function orderStatsQuery(
  workspaceId: string,
  scope: CustomerScope,
  filter: OrderFilter | null | undefined,
  groupBy: readonly OrderStatsKey[],
): { sql: string; params: unknown[] } {
  const params: unknown[] = [workspaceId];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = [
    'o.workspace_id = $1',
    projectedScopeSql(scope, 'o.customer_id', 'o.workspace_id', param),
    ...orderFilterSql(filter, 'o', param),
  ];
  const sale = `FILTER (WHERE o.status <> ALL(${param(NOT_COUNTED)}::text[]))`;
  const sql = groupedStatsSql({
    from: 'customer_order o',
    where: where.join(' AND '),
    keys: groupBy.map((key) => KEYS[key]),
    figures: {
      count: 'count(*)::int',
      salesCount: `(count(*) ${sale})::int`,
      revenue: `COALESCE(sum(o.total) ${sale}, 0)::text`,
      averageOrderValue: `COALESCE(floor(sum(o.total) ${sale} / NULLIF(count(*) ${sale}, 0)), 0)::bigint::text`,
    },
  });
  return { sql, params };
}

export async function orderStats(
  db: DataSource,
  workspaceId: string,
  scope: CustomerScope,
  filter: OrderFilter | null | undefined,
  groupBy: readonly OrderStatsKey[],
): Promise<OrderStatsGroup[]> {
  const q = orderStatsQuery(workspaceId, scope, filter, groupBy);
  return readGroups(await db.query(q.sql, q.params), groupBy, 'narrow the time range');
}
