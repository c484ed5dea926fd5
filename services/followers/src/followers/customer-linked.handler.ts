// contacts.customer.zalo-linked: contacts matched (or created) the customer for a
// follower's shared phone; the follower now points at that customer.
import type { EventEnvelope, EventHandler } from '@customer-graph/runtime';

export const CUSTOMER_ZALO_LINKED = 'contacts.customer.zalo-linked';

interface ZaloLinked {
  customerId: string;
  followerId: string;
}

export const onCustomerZaloLinked: EventHandler = async (tx, event) => {
  const { workspaceId, payload } = event as EventEnvelope<ZaloLinked>;
  await tx.query('UPDATE zalo_follower SET customer_id = $3 WHERE workspace_id = $1 AND id = $2', [
    workspaceId,
    payload.followerId,
    payload.customerId,
  ]);
};
