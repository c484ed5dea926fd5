// Events the contacts subgraph publishes about orders' buyers. Type, version and
// payload come from the catalog generated from schema/events/; the key rule is ours.
import { CUSTOMER_BUYER_MATCHED, createEvent } from '@customer-graph/runtime';
import type { CustomerBuyerMatchedPayload, EventOf } from '@customer-graph/runtime';

/** The answer to orders.buyer.seen. Keyed by the customer id. */
export function buyerMatched(
  workspaceId: string,
  payload: CustomerBuyerMatchedPayload,
): EventOf<typeof CUSTOMER_BUYER_MATCHED> {
  return createEvent({
    type: CUSTOMER_BUYER_MATCHED,
    workspaceId,
    key: payload.customerId,
    payload,
  });
}
