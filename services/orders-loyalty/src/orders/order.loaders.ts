import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { DataSource } from 'typeorm';
import type { Connection, Page } from '@customer-graph/runtime';
import { alignOne, findPagesPerParent, isUuid, loaderFamily } from '@customer-graph/runtime';
import { OrderEntity } from './order.entity';
import type { OrderRow } from './order.entity';

export interface OrderLoaders {
  orderById: DataLoader<string, OrderRow | null>;
  /** A page of a customer's orders, newest first; one query per distinct page. */
  ordersByCustomer: (page: Page) => DataLoader<string, Connection<OrderRow>>;
}

export function createOrderLoaders(db: DataSource, workspaceId: string): OrderLoaders {
  const orders = db.getRepository(OrderEntity);
  return {
    orderById: new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await orders.find({ where: { workspaceId, id: In(valid) } }) : [];
      return alignOne(ids, rows, (row) => row.id);
    }),
    ordersByCustomer: loaderFamily((page: Page, customerIds: readonly string[]) =>
      findPagesPerParent(orders, {
        parentColumn: 'customer_id',
        parentOf: (row) => row.customerId,
        sortColumn: 'ordered_at',
        sortKeyOf: (row) => row.orderedAt,
        workspaceId,
        parentIds: customerIds,
        page,
      }),
    ),
  };
}
