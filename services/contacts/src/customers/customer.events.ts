// Events the contacts subgraph publishes about customers themselves. Type, version and
// payload come from the catalog generated from schema/events/; the key rule is ours.
import {
  CUSTOMER_ASSIGNED,
  CUSTOMER_DELETED,
  CUSTOMER_PHONES_CHANGED,
  createEvent,
} from '@customer-graph/runtime';
import type { CustomerDeletedPayload, EventOf } from '@customer-graph/runtime';

/** Keyed by the customer id. */
export function customerDeleted(
  workspaceId: string,
  payload: CustomerDeletedPayload,
): EventOf<typeof CUSTOMER_DELETED> {
  return createEvent({ type: CUSTOMER_DELETED, workspaceId, key: payload.customerId, payload });
}

/**
 * Who the customer is assigned to now (null: nobody), so other subgraphs scope staff
 * to their own customers. Keyed by the customer id.
 */
export function customerAssigned(
  workspaceId: string,
  customerId: string,
  assignedStaff: string | null,
): EventOf<typeof CUSTOMER_ASSIGNED> {
  return createEvent({
    type: CUSTOMER_ASSIGNED,
    workspaceId,
    key: customerId,
    payload: { customerId, assignedStaff },
  });
}

/**
 * Every phone the customer has now, in E.164, the primary first (empty: none), so other
 * subgraphs know whose number a phone is. Keyed by the customer id.
 */
export function customerPhonesChanged(
  workspaceId: string,
  customerId: string,
  phones: string[],
): EventOf<typeof CUSTOMER_PHONES_CHANGED> {
  return createEvent({
    type: CUSTOMER_PHONES_CHANGED,
    workspaceId,
    key: customerId,
    payload: { customerId, phones },
  });
}
