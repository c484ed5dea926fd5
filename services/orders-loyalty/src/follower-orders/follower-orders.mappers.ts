import type { CustomerRef } from '../orders/order.mappers';

/** A follower as this subgraph knows it: its id and, when linked, its customer's id. */
export interface FollowerRef {
  id: string;
  customer: CustomerRef | null;
}
