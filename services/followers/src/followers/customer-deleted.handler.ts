// contacts.customer.deleted: the customer is gone from the workspace; its followers
// stay (they still follow the OA) but no longer point at it.
import type { CUSTOMER_DELETED, EventHandler } from '@customer-graph/runtime';

export const onCustomerDeleted: EventHandler<typeof CUSTOMER_DELETED> = async (tx, event) => {
  const { workspaceId, payload } = event;
  await tx.query(
    'UPDATE zalo_follower SET customer_id = NULL WHERE workspace_id = $1 AND customer_id = $2',
    [workspaceId, payload.customerId],
  );
};
