// contacts.customer.phones-changed: a customer's numbers, now. They replace the ones
// the directory holds for that customer, unless it holds a newer event's already
// (events of one customer share a partition, but the announcement migration and
// redelivery after a rebalance make no promise worth relying on).
//
// A number moving from customer A to B is two events, A's (without it) and B's (with
// it), on different partitions, so in either order: each only touches its own
// customer's rows, so both orders end with the number at B.
//
// A run of events is applied set-wise: one statement for each stretch of the run in
// which no customer comes twice (events of different customers touch different rows,
// so applying such a stretch at once is applying its events one by one), instead of
// four statements per event.
import type { BatchEventHandler, CUSTOMER_PHONES_CHANGED, EventOf } from '@customer-graph/runtime';
import { queryPrepared } from '@customer-graph/runtime';
import { lockPhoneMatching } from './phone-directory.lock';

type PhonesChanged = EventOf<typeof CUSTOMER_PHONES_CHANGED>;

/** The events cut, in order, into stretches in which no customer comes twice. */
export function stretchesOfDistinctCustomers(events: readonly PhonesChanged[]): PhonesChanged[][] {
  const stretches: PhonesChanged[][] = [];
  let stretch: PhonesChanged[] = [];
  const customers = new Set<string>();
  for (const event of events) {
    const customer = `${event.workspaceId} ${event.payload.customerId}`;
    if (customers.has(customer)) {
      stretches.push(stretch);
      stretch = [];
      customers.clear();
    }
    customers.add(customer);
    stretch.push(event);
  }
  if (stretch.length > 0) stretches.push(stretch);
  return stretches;
}

// $1–$3: each event's workspace, customer and time; $4–$6: each of their numbers.
// `newer`: the customers whose newest event this is (ties go to the later arrival: on
// one partition that is the later commit), deleted ones never; their numbers are then
// replaced: the ones they no longer have dropped, the others kept or added (a number
// already held keeps the earlier time: a buyer-matched may have come first). The
// DELETE and the INSERT touch different rows (numbers not in the list, and in it).
const APPLY_STRETCH = `WITH newer AS (
    INSERT INTO phone_directory_customer AS c (workspace_id, customer_id, occurred_at)
    SELECT * FROM unnest($1::text[], $2::uuid[], $3::timestamptz[])
    ON CONFLICT (workspace_id, customer_id) DO UPDATE SET occurred_at = EXCLUDED.occurred_at
    WHERE c.occurred_at <= EXCLUDED.occurred_at AND NOT c.deleted
    RETURNING c.workspace_id AS ws, c.customer_id AS cid, c.occurred_at AS at),
  numbers AS (SELECT * FROM unnest($4::text[], $5::uuid[], $6::text[]) AS n(ws, cid, e164)),
  dropped AS (
    DELETE FROM phone_directory d USING newer
     WHERE d.workspace_id = newer.ws AND d.customer_id = newer.cid
       AND NOT EXISTS (SELECT 1 FROM numbers n
                        WHERE n.ws = d.workspace_id AND n.cid = d.customer_id AND n.e164 = d.e164))
  INSERT INTO phone_directory AS d (workspace_id, e164, customer_id, occurred_at)
  SELECT n.ws, n.e164, n.cid, newer.at FROM numbers n JOIN newer ON newer.ws = n.ws AND newer.cid = n.cid
  ON CONFLICT (workspace_id, e164, customer_id)
    DO UPDATE SET occurred_at = LEAST(d.occurred_at, EXCLUDED.occurred_at)`;

export const onPhonesChanged: BatchEventHandler<typeof CUSTOMER_PHONES_CHANGED> = {
  async batch(tx, events) {
    // Each workspace's lock, in the order the events first name it (as one by one).
    for (const workspaceId of new Set(events.map((e) => e.workspaceId))) {
      await lockPhoneMatching(tx, workspaceId);
    }
    for (const stretch of stretchesOfDistinctCustomers(events)) {
      const numbers = stretch.flatMap((e) => e.payload.phones.map((e164) => ({ e, e164 })));
      await queryPrepared(tx, APPLY_STRETCH, [
        stretch.map((e) => e.workspaceId),
        stretch.map((e) => e.payload.customerId),
        stretch.map((e) => e.occurredAt),
        numbers.map((n) => n.e.workspaceId),
        numbers.map((n) => n.e.payload.customerId),
        numbers.map((n) => n.e164),
      ]);
    }
  },
};
