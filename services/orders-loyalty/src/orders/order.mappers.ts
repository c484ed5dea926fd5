import type { Connection } from '@customer-graph/runtime';
import type { OrderRow } from './order.entity';

/** A customer as this subgraph knows it: only its id (contacts owns the rest). */
export interface CustomerRef {
  id: string;
}

/** A page of orders; `count` runs only when the client asks for totalCount. */
export interface OrderPage extends Connection<OrderRow> {
  count(): Promise<number>;
}
