// Events the contacts subgraph publishes about Zalo links. Type, version and payload
// come from the catalog generated from schema/events/; the key rule is ours.
import { CUSTOMER_ZALO_LINKED, createEvent } from '@customer-graph/runtime';
import type { CustomerZaloLinkedPayload, EventOf } from '@customer-graph/runtime';

/** Keyed by the customer id. */
export function zaloLinked(
  workspaceId: string,
  payload: CustomerZaloLinkedPayload,
): EventOf<typeof CUSTOMER_ZALO_LINKED> {
  return createEvent({ type: CUSTOMER_ZALO_LINKED, workspaceId, key: payload.customerId, payload });
}
