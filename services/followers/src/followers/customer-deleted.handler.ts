// contacts.customer.deleted: the customer is gone from the workspace; its followers
// stay (they still follow the OA) but no longer point at it.
import type { EventEnvelope, EventHandler } from '@customer-graph/runtime';

export const CUSTOMER_DELETED = 'contacts.customer.deleted';

interface CustomerDeleted {
  customerId: string;
}

export const onCustomerDeleted: EventHandler = async (tx, event) => {
  const { workspaceId, payload } = event as EventEnvelope<CustomerDeleted>;
  await tx.query(
    'UPDATE zalo_follower SET customer_id = NULL WHERE workspace_id = $1 AND customer_id = $2',
    [workspaceId, payload.customerId],
  );
};
