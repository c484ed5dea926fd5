import DataLoader from 'dataloader';
import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import type { Connection, Page, RequestScope } from '@customer-graph/runtime';
import {
  alignMany,
  alignOne,
  isUuid,
  loaderFamily,
  newestFirst,
  pageOf,
  queryPrepared,
  selectsField,
  visibleRows,
} from '@customer-graph/runtime';
import type { CustomerOrdersArgs, OrderFilter } from '../generated/graphql';
import { ORDER_SELECT } from './order.entity';
import type { OrderRow, OrderStatus } from './order.entity';
import { orderFilterSql } from './order.list';
import type { OrderPage } from './order.mappers';
import { countPerCustomer, ordersPerCustomer, selectedColumns } from './order.pages';
import type { TabFilterSql } from './order.pages';
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
  /**
   * A page of a customer's orders, newest first; one query per distinct page, filter
   * and selection. Its rows hold the `columns` the request's Order fields read
   * (order.pages.ts's selectedColumns), not every property of OrderRow.
   */
  byCustomer: (args: {
    page: Page;
    filter: OrderFilter | null;
    columns: string;
  }) => DataLoader<string, Connection<OrderRow>>;
  /** How many of a customer's orders match a filter; one query per filter. */
  countByCustomer: (filter: OrderFilter | null) => DataLoader<string, number>;
  /**
   * `Customer.orders` as one field of the request asks for it. Its arguments and
   * selection are the same for every customer it is resolved on, so its page, loaders
   * and whether `totalCount` is asked are worked out once, not once per customer.
   */
  tab: (args: CustomerOrdersArgs, info: GraphQLResolveInfo) => OrderTab;
  /** An order's status history, oldest first. */
  history: DataLoader<string, StatusChange[]>;
  /** A customer's purchases in figures (order.summary.ts). */
  summary: DataLoader<string, OrderSummary>;
  /** Orders with one of a customer's numbers but not attached to it (order.same-number.ts). */
  sameNumber: SameNumberLoaders;
}

export interface OrderTab {
  /** The customer's page; its count, asked with it, runs beside it. */
  load(customerId: string): Promise<OrderPage>;
}

declare module '../context' {
  interface Loaders {
    orders: OrderLoaders;
  }
}

/**
 * The filter of a customer's tab (the customer is the parent, not the filter), its
 * parameters numbered after the statement's own `before` ones.
 */
function tabFilter(filter: OrderFilter | null, before: number): TabFilterSql {
  const params: unknown[] = [];
  const sql = orderFilterSql({ ...filter, customerId: null }, 't', (value) => {
    params.push(value);
    return `$${params.length + before}`;
  });
  return { sql: sql.length ? sql.join(' AND ') : 'TRUE', params };
}

export function createOrderLoaders(scope: RequestScope): OrderLoaders {
  const { db, workspaceId, access } = scope;
  const byCustomer: OrderLoaders['byCustomer'] = loaderFamily(
    ({ page, filter, columns }, customerIds: readonly string[]) =>
      ordersPerCustomer(db, workspaceId, customerIds, page, columns, tabFilter(filter, 3)),
  );
  const countByCustomer: OrderLoaders['countByCustomer'] = loaderFamily(
    (filter: OrderFilter | null, ids: readonly string[]) =>
      countPerCustomer(db, workspaceId, ids, tabFilter(filter, 2)),
  );
  // By the execution's variables, then the field's nodes: one entry per field asked.
  const tabs = new WeakMap<object, WeakMap<readonly FieldNode[], OrderTab>>();
  const tab = (args: CustomerOrdersArgs, info: GraphQLResolveInfo): OrderTab => {
    let byField = tabs.get(info.variableValues);
    if (!byField) tabs.set(info.variableValues, (byField = new WeakMap()));
    let found = byField.get(info.fieldNodes);
    if (!found) {
      const filter = args.filter ?? null;
      const pages = byCustomer({
        page: pageOf(args, info, ORDERS_NEWEST_FIRST),
        filter,
        columns: selectedColumns(info),
      });
      const counts = countByCustomer(filter);
      const counted = selectsField(info, 'totalCount');
      found = {
        async load(customerId) {
          // Asked together: the count's statement runs beside the page's, not after it.
          const counting = counted ? counts.load(customerId) : undefined;
          // Should the page fail, the count's failure is not left unhandled.
          counting?.catch(() => undefined);
          const connection = await pages.load(customerId);
          return { ...connection, count: () => counting ?? counts.load(customerId) };
        },
      };
      byField.set(info.fieldNodes, found);
    }
    return found;
  };
  return {
    tab,
    byCustomer,
    countByCustomer,
    summary: createSummaryLoader(db, workspaceId),
    sameNumber: createSameNumberLoaders(scope),
    byId: new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const { rows } = valid.length
        ? await queryPrepared<OrderRow>(
            db,
            `SELECT ${ORDER_SELECT} FROM customer_order o
              WHERE o.workspace_id = $1 AND o.id = ANY($2::uuid[])`,
            [workspaceId, valid],
          )
        : { rows: [] };
      const visible = await visibleRows(access, rows, (row) => row.customerId);
      return alignOne(ids, visible, (row) => row.id);
    }),
    history: new DataLoader(async (orderIds) => {
      const { rows } = await queryPrepared<StatusChange & { orderId: string }>(
        db,
        `SELECT order_id AS "orderId", status, changed_at AS at FROM customer_order_status
         WHERE workspace_id = $1 AND order_id = ANY($2::uuid[]) ORDER BY changed_at, status`,
        [workspaceId, orderIds.filter(isUuid)],
      );
      return alignMany(orderIds, rows, (r) => r.orderId);
    }),
  };
}
