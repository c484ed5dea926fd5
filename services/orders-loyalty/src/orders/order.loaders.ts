import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { Connection, Page, RequestScope } from '@customer-graph/runtime';
import {
  alignOne,
  findPagesPerParent,
  isUuid,
  loaderFamily,
  newestFirst,
  visibleRows,
} from '@customer-graph/runtime';
import { OrderEntity } from './order.entity';
import type { OrderRow } from './order.entity';

/** Orders are listed newest first. */
export const ORDERS_NEWEST_FIRST = newestFirst('ordered_at');

export interface OrderLoaders {
  byId: DataLoader<string, OrderRow | null>;
  /** A page of a customer's orders, newest first; one query per distinct page. */
  byCustomer: (page: Page) => DataLoader<string, Connection<OrderRow>>;
}

declare module '../context' {
  interface Loaders {
    orders: OrderLoaders;
  }
}

export function createOrderLoaders({ db, workspaceId, access }: RequestScope): OrderLoaders {
  const orders = db.getRepository(OrderEntity);
  return {
    byId: new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await orders.find({ where: { workspaceId, id: In(valid) } }) : [];
      const visible = await visibleRows(access, rows, (row) => row.customerId);
      return alignOne(ids, visible, (row) => row.id);
    }),
    byCustomer: loaderFamily((page: Page, customerIds: readonly string[]) =>
      findPagesPerParent(orders, {
        parentColumn: 'customer_id',
        parentOf: (row) => row.customerId,
        sortKeyOf: (row) => row.orderedAt,
        workspaceId,
        parentIds: customerIds,
        page,
      }),
    ),
  };
}
