import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { Connection, Page, RequestScope } from '@customer-graph/runtime';
import {
  alignMany,
  alignOne,
  findPagesPerParent,
  isUuid,
  loaderFamily,
  newestFirst,
  visibleRows,
} from '@customer-graph/runtime';
import type { OrderFilter } from '../generated/graphql';
import { OrderEntity } from './order.entity';
import type { OrderRow, OrderStatus } from './order.entity';
import { orderFilterSql } from './order.list';
import { createSameNumberLoaders } from './order.same-number';
import type { SameNumberLoaders } from './order.same-number';
import { createSummaryLoader } from './order.summary';
import type { OrderSummary } from './order.summary';

/** Orders are listed newest first. */
export const ORDERS_NEWEST_FIRST = newestFirst('ordered_at');

export interface StatusChange {
  status: OrderStatus;
  at: Date;
}

export interface OrderLoaders {
  /** Orders by id, only those the caller may see. */
  byId: DataLoader<string, OrderRow | null>;
  /** A page of a customer's orders, newest first; one query per distinct page and filter. */
  byCustomer: (args: {
    page: Page;
    filter: OrderFilter | null;
  }) => DataLoader<string, Connection<OrderRow>>;
  /** How many of a customer's orders match a filter; one query per filter. */
  countByCustomer: (filter: OrderFilter | null) => DataLoader<string, number>;
  /** An order's status history, oldest first. */
  history: DataLoader<string, StatusChange[]>;
  /** A customer's purchases in figures (order.summary.ts). */
  summary: DataLoader<string, OrderSummary>;
  /** Orders with one of a customer's numbers but not attached to it (order.same-number.ts). */
  sameNumber: SameNumberLoaders;
}

declare module '../context' {
  interface Loaders {
    orders: OrderLoaders;
  }
}

/** The filter of a customer's tab: the customer is the parent, not the filter. */
function tabFilter(filter: OrderFilter | null, alias: string) {
  const params: Record<string, unknown> = {};
  const sql = orderFilterSql({ ...filter, customerId: null }, alias, (value) => {
    const name = `f${Object.keys(params).length}`;
    params[name] = value;
    return `:${name}`;
  });
  return { sql: sql.length ? sql.join(' AND ') : 'TRUE', params };
}

export function createOrderLoaders(scope: RequestScope): OrderLoaders {
  const { db, workspaceId, access } = scope;
  const orders = db.getRepository(OrderEntity);
  return {
    summary: createSummaryLoader(db, workspaceId),
    sameNumber: createSameNumberLoaders(scope),
    byId: new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await orders.find({ where: { workspaceId, id: In(valid) } }) : [];
      const visible = await visibleRows(access, rows, (row) => row.customerId);
      return alignOne(ids, visible, (row) => row.id);
    }),
    byCustomer: loaderFamily(({ page, filter }, customerIds: readonly string[]) =>
      findPagesPerParent(orders, {
        parentColumn: 'customer_id',
        parentOf: (row) => row.customerId ?? '',
        sortKeyOf: (row) => row.orderedAt,
        workspaceId,
        parentIds: customerIds,
        page,
        filter: filter ? tabFilter(filter, 't') : undefined,
      }),
    ),
    countByCustomer: loaderFamily(async (filter: OrderFilter | null, ids: readonly string[]) => {
      const { sql, params } = tabFilter(filter, 't');
      const rows: { customerId: string; n: number }[] = await orders
        .createQueryBuilder('t')
        .select('t.customer_id', 'customerId')
        .addSelect('count(*)::int', 'n')
        .where('t.workspace_id = :workspaceId AND t.customer_id = ANY(:ids)', {
          workspaceId,
          ids: ids.filter(isUuid),
        })
        .andWhere(sql, params)
        .groupBy('t.customer_id')
        .getRawMany();
      const byId = new Map(rows.map((r) => [r.customerId, r.n]));
      return ids.map((id) => byId.get(id) ?? 0);
    }),
    history: new DataLoader(async (orderIds) => {
      const rows: (StatusChange & { orderId: string })[] = await db.query(
        `SELECT order_id AS "orderId", status, changed_at AS at FROM customer_order_status
         WHERE workspace_id = $1 AND order_id = ANY($2::uuid[]) ORDER BY changed_at, status`,
        [workspaceId, orderIds.filter(isUuid)],
      );
      return alignMany(orderIds, rows, (r) => r.orderId);
    }),
  };
}
