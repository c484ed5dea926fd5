// orders.buyer.seen v1 (schema/events/orders.buyer.seen.json), key = the phone:
//   { phoneE164, name?, email?, source }
// After an upsert, each phone of the batch that nobody holds in the phone directory,
// while an order with it waits unattached, is asked about once: contacts finds or
// creates the customer with that number and answers contacts.customer.buyer-matched
// (order.matching.ts). order_buyer_asked remembers when each phone was asked, so a
// phone is asked again only if it is still unknown ASK_AGAIN_AFTER later (an answer
// lost or refused), not on every order of a busy buyer. Concurrent upserts of one
// phone meet on that row: one asks, the other sees it just asked.
import type { EntityManager } from 'typeorm';
import { BUYER_SEEN, appendEvents, createEvent } from '@customer-graph/runtime';
import type { BuyerSeenPayload } from '@customer-graph/runtime';
import type { CheckedOrder } from './order.input';

/** How long an unanswered phone waits before it is asked about again. */
export const ASK_AGAIN_AFTER = '1 hour';

// Contacts' own check of an address (customer.input.ts), so it takes what we send.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const MAX_NAME = 500;
const MAX_EMAIL = 254;

/** The buyer of each phone as the batch first shows them: first name, first email. */
function buyersByPhone(orders: readonly CheckedOrder[]): Map<string, BuyerSeenPayload> {
  const buyers = new Map<string, BuyerSeenPayload>();
  for (const order of orders) {
    if (!order.buyerPhoneE164) continue;
    const name = order.buyerName ? [...order.buyerName].slice(0, MAX_NAME).join('') : null;
    const email =
      order.buyerEmail && order.buyerEmail.length <= MAX_EMAIL && EMAIL.test(order.buyerEmail)
        ? order.buyerEmail
        : null;
    const seen = buyers.get(order.buyerPhoneE164);
    if (!seen) {
      buyers.set(order.buyerPhoneE164, {
        phoneE164: order.buyerPhoneE164,
        name,
        email,
        source: order.source,
      });
    } else {
      seen.name ??= name;
      seen.email ??= email;
    }
  }
  return buyers;
}

/** Publishes orders.buyer.seen for the batch's unknown buyer phones not asked lately. */
export async function askAboutUnknownBuyers(
  tx: EntityManager,
  workspaceId: string,
  orders: readonly CheckedOrder[],
): Promise<void> {
  const buyers = buyersByPhone(orders);
  if (buyers.size === 0) return;
  const ask: { e164: string }[] = await tx.query(
    `WITH unknown AS (
       SELECT DISTINCT o.buyer_phone_e164 AS e164 FROM customer_order o
        WHERE o.workspace_id = $1 AND o.customer_id IS NULL
          AND o.buyer_phone_e164 = ANY($2::text[])
          AND NOT EXISTS (SELECT 1 FROM phone_directory d
                           WHERE d.workspace_id = $1 AND d.e164 = o.buyer_phone_e164))
     INSERT INTO order_buyer_asked AS a (workspace_id, e164, asked_at)
     SELECT $1, e164, now() FROM unknown ORDER BY e164
     ON CONFLICT (workspace_id, e164) DO UPDATE SET asked_at = EXCLUDED.asked_at
       WHERE a.asked_at <= EXCLUDED.asked_at - $3::interval
     RETURNING a.e164`,
    [workspaceId, [...buyers.keys()], ASK_AGAIN_AFTER],
  );
  await appendEvents(
    tx,
    ask.map(({ e164 }) =>
      createEvent({ type: BUYER_SEEN, workspaceId, key: e164, payload: buyers.get(e164)! }),
    ),
  );
}
