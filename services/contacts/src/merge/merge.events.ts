// contacts.customer.merged (schema/events/contacts.customer.merged.json): one per merge,
// keyed by the survivor's id, so it shares a partition with the survivor's
// phones-changed and assigned events published after it.
import { CUSTOMER_MERGED, createEvent } from '@customer-graph/runtime';
import type { CustomerMergedPayload, EventOf } from '@customer-graph/runtime';

export function customerMerged(
  workspaceId: string,
  payload: CustomerMergedPayload,
): EventOf<typeof CUSTOMER_MERGED> {
  return createEvent({ type: CUSTOMER_MERGED, workspaceId, key: payload.survivorId, payload });
}
