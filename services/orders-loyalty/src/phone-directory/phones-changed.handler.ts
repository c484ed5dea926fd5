// contacts.customer.phones-changed: a customer's numbers, now. They replace the ones
// the directory holds for that customer, unless it holds a newer event's already
// (events of one customer share a partition, but the announcement migration and
// redelivery after a rebalance make no promise worth relying on).
//
// A number moving from customer A to B is two events, A's (without it) and B's (with
// it), on different partitions, so in either order: each only touches its own
// customer's rows, so both orders end with the number at B.
import type { CUSTOMER_PHONES_CHANGED, EventHandler } from '@customer-graph/runtime';
import { lockPhoneMatching } from './phone-directory.lock';

export const onPhonesChanged: EventHandler<typeof CUSTOMER_PHONES_CHANGED> = async (tx, event) => {
  const { customerId, phones } = event.payload;
  await lockPhoneMatching(tx, event.workspaceId);
  const params = [event.workspaceId, customerId, event.occurredAt];
  // Ties go to the later arrival: on one partition that is the later commit.
  const newer: unknown[] = await tx.query(
    `INSERT INTO phone_directory_customer (workspace_id, customer_id, occurred_at)
     VALUES ($1, $2, $3)
     ON CONFLICT (workspace_id, customer_id) DO UPDATE SET occurred_at = EXCLUDED.occurred_at
     WHERE phone_directory_customer.occurred_at <= EXCLUDED.occurred_at
       AND NOT phone_directory_customer.deleted
     RETURNING 1`,
    params,
  );
  if (newer.length === 0) return;
  await tx.query(
    `DELETE FROM phone_directory WHERE workspace_id = $1 AND customer_id = $2
       AND NOT (e164 = ANY($3::text[]))`,
    [event.workspaceId, customerId, phones],
  );
  // A number already held keeps the earlier time (a buyer-matched may have come first).
  await tx.query(
    `INSERT INTO phone_directory AS d (workspace_id, e164, customer_id, occurred_at)
     SELECT $1, e164, $2, $3 FROM unnest($4::text[]) AS e164
     ON CONFLICT (workspace_id, e164, customer_id)
       DO UPDATE SET occurred_at = LEAST(d.occurred_at, EXCLUDED.occurred_at)`,
    [...params, phones],
  );
};
