// contacts.customer.buyer-matched: contacts' answer to orders.buyer.seen, "this
// customer has that number now". The directory records the number for the customer
// (it may hold it already, from contacts.customer.phones-changed: then it keeps the
// earlier time, which decides who had the number first). Not recorded for a deleted
// customer (a deletion is final), nor when the directory already applied a newer
// phones-changed of the customer: that one lists the customer's numbers as they are
// now, and if it lacks this one, the number has left the customer since.
import type { CUSTOMER_BUYER_MATCHED, EventHandler } from '@customer-graph/runtime';
import { lockPhoneMatching } from './phone-directory.lock';

export const onBuyerMatched: EventHandler<typeof CUSTOMER_BUYER_MATCHED> = async (tx, event) => {
  const { customerId, phoneE164 } = event.payload;
  await lockPhoneMatching(tx, event.workspaceId);
  await tx.query(
    `INSERT INTO phone_directory AS d (workspace_id, e164, customer_id, occurred_at)
     SELECT $1, $3, $2, $4
      WHERE NOT EXISTS (
        SELECT 1 FROM phone_directory_customer c
         WHERE c.workspace_id = $1 AND c.customer_id = $2
           AND (c.deleted OR c.occurred_at > $4))
     ON CONFLICT (workspace_id, e164, customer_id)
       DO UPDATE SET occurred_at = LEAST(d.occurred_at, EXCLUDED.occurred_at)`,
    [event.workspaceId, customerId, phoneE164, event.occurredAt],
  );
};
