// Events the contacts subgraph publishes about customers themselves (contracts in
// schema/events/).
import { createEvent } from '@customer-graph/runtime';
import type { EventEnvelope } from '@customer-graph/runtime';

export const CUSTOMER_DELETED = 'contacts.customer.deleted';

export interface CustomerDeleted {
  customerId: string;
  deletedBy: string;
}

export function customerDeleted(
  workspaceId: string,
  payload: CustomerDeleted,
): EventEnvelope<CustomerDeleted> {
  return createEvent({
    type: CUSTOMER_DELETED,
    version: 1,
    workspaceId,
    key: payload.customerId,
    payload,
  });
}
