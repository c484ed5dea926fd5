// orders.buyer.seen: an order came in with a buyer phone orders knows no customer of.
// Find the workspace's customer with that phone, or create one (a LEAD: it has a
// phone) with the buyer's name and email; on an existing customer fill only what
// nobody filled yet. Answer every event with contacts.customer.buyer-matched, so
// orders attaches the waiting orders. One customer per phone, the filling rules and
// the announcement of a new customer's phone are shared with the Zalo flow
// (customers/phone-owner.ts, customers/customer.from-phone.ts).
//
// Set-wise per run, with the result of applying the events one by one, in order: the
// first event of a new phone creates its customer (`created: true`), later ones fill
// what is still empty and are answered `created: false`.
import { appendEvents } from '@customer-graph/runtime';
import type { BatchEventHandler, BUYER_SEEN } from '@customer-graph/runtime';
import { customersForPhones, profileOf } from '../customers/customer.from-phone';
import { groupByPhone } from '../customers/phone-owner';
import { buyerMatched } from './buyer.events';

export const onBuyerSeen: BatchEventHandler<typeof BUYER_SEEN> = {
  async batch(tx, events) {
    const phones = groupByPhone(events);
    const owners = await customersForPhones(
      tx,
      phones.map((phone) => ({
        ...phone,
        // The event carries only the E.164 form.
        number: phone.e164,
        profiles: phone.events.map((e) =>
          profileOf({ name: e.payload.name ?? null, email: e.payload.email ?? null }),
        ),
      })),
      // Being seen as a buyer changes nothing of a record that has what it brings.
      { touchAll: false },
    );
    const answers = new Map(
      phones.flatMap((phone, i) =>
        phone.events.map((e, n) => [
          e.id,
          { customerId: owners[i].customerId, created: owners[i].isNew && n === 0 },
        ]),
      ),
    );
    await appendEvents(
      tx,
      events.map((e) =>
        buyerMatched(e.workspaceId, { ...answers.get(e.id)!, phoneE164: e.payload.phoneE164 }),
      ),
    );
  },
};
