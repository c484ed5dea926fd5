// Events the contacts subgraph publishes about customers themselves. Type, version and
// payload come from the catalog generated from schema/events/; the key rule is ours.
import { CUSTOMER_DELETED, createEvent } from '@customer-graph/runtime';
import type { CustomerDeletedPayload, EventOf } from '@customer-graph/runtime';

/** Keyed by the customer id. */
export function customerDeleted(
  workspaceId: string,
  payload: CustomerDeletedPayload,
): EventOf<typeof CUSTOMER_DELETED> {
  return createEvent({ type: CUSTOMER_DELETED, workspaceId, key: payload.customerId, payload });
}
