// contacts.customer.deleted: the customer's numbers leave the directory, and a
// tombstone stays so that none of its phones-changed events, however late, brings
// them back. A deletion is final whatever its time (a customer id is never reused).
import type { CUSTOMER_DELETED, EventHandler } from '@customer-graph/runtime';
import { lockPhoneMatching } from './phone-directory.lock';

export const onCustomerDeleted: EventHandler<typeof CUSTOMER_DELETED> = async (tx, event) => {
  const { customerId } = event.payload;
  await lockPhoneMatching(tx, event.workspaceId);
  await tx.query(
    `INSERT INTO phone_directory_customer (workspace_id, customer_id, occurred_at, deleted)
     VALUES ($1, $2, $3, true)
     ON CONFLICT (workspace_id, customer_id) DO UPDATE SET deleted = true,
       occurred_at = GREATEST(phone_directory_customer.occurred_at, EXCLUDED.occurred_at)`,
    [event.workspaceId, customerId, event.occurredAt],
  );
  await tx.query('DELETE FROM phone_directory WHERE workspace_id = $1 AND customer_id = $2', [
    event.workspaceId,
    customerId,
  ]);
};
