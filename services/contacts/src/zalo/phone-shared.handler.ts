// followers.follower.phone-shared: a Zalo follower shared a phone. Find the customer
// that phone belongs to in the workspace — or create one (a LEAD: it has a phone) —
// link the Zalo identity, fill only the profile fields nobody filled yet, and tell
// the followers subgraph which customer it is (and, for a new customer, every
// subgraph its phone: contacts.customer.phones-changed). One customer per phone, and
// the filling rules, are customers/phone-owner.ts and customers/customer.from-phone.ts,
// which orders' buyers share.
//
// Events come in runs (a chunk of a partition) and are applied set-wise: a handful of
// statements per run instead of six per event. The result is what applying them one by
// one, in order, would give: the first event of a new phone creates its customer, and
// every later one fills what is still empty; the last link of a Zalo user wins.
import type { EntityManager } from 'typeorm';
import { appendEvents, queryPrepared } from '@customer-graph/runtime';
import type {
  BatchEventHandler,
  EventOf,
  FOLLOWER_PHONE_SHARED,
  FollowerPhoneSharedPayload,
} from '@customer-graph/runtime';
import { customersForPhones, profileOf } from '../customers/customer.from-phone';
import { groupByPhone } from '../customers/phone-owner';
import { zaloLinked } from './zalo.events';

type Shared = EventOf<typeof FOLLOWER_PHONE_SHARED>;

function zaloProfile(p: FollowerPhoneSharedPayload) {
  const parts = [p.address, p.ward, p.district].filter((x): x is string => !!x);
  return profileOf({
    name: p.name ?? null,
    address: parts.length > 0 ? parts.join(', ') : null,
    city: p.city ?? null,
  });
}

/** The Zalo identities, each to its customer (a user's last event wins): one statement. */
async function linkZaloIds(
  tx: EntityManager,
  links: Map<string, { e: Shared; customerId: string }>,
) {
  const rows = [...links.values()];
  await queryPrepared(
    tx,
    `INSERT INTO customer_external_id (workspace_id, source, external_id, customer_id)
     SELECT u.ws, 'ZALO', u.id, u.cid FROM unnest($1::text[], $2::text[], $3::uuid[]) AS u(ws, id, cid)
     ON CONFLICT (workspace_id, source, external_id) DO UPDATE SET customer_id = EXCLUDED.customer_id`,
    [
      rows.map((r) => r.e.workspaceId),
      rows.map((r) => r.e.payload.zaloUserId),
      rows.map((r) => r.customerId),
    ],
  );
}

export const onPhoneShared: BatchEventHandler<typeof FOLLOWER_PHONE_SHARED> = {
  async batch(tx, events) {
    const phones = groupByPhone(events);
    // Every customer found gets a link, so its record changes even when nothing fills.
    const owners = await customersForPhones(
      tx,
      phones.map((phone) => ({
        ...phone,
        number: phone.events[0].payload.phone,
        profiles: phone.events.map((e) => zaloProfile(e.payload)),
      })),
      { touchAll: true },
    );
    // In the order the events came: a Zalo user's last event wins its link, and the
    // links are announced in that order.
    const order = new Map(events.map((e, n) => [e.id, n]));
    const linked = phones
      .flatMap((phone, i) =>
        phone.events.map((e, n) => ({
          e,
          customerId: owners[i].customerId,
          created: owners[i].isNew && n === 0,
        })),
      )
      .sort((a, b) => order.get(a.e.id)! - order.get(b.e.id)!);
    const links = new Map<string, { e: Shared; customerId: string }>();
    for (const l of linked) links.set(`${l.e.workspaceId} ${l.e.payload.zaloUserId}`, l);
    await linkZaloIds(tx, links);
    // A new customer's phone was announced before its link, as createCustomer would.
    await appendEvents(
      tx,
      linked.map((l) =>
        zaloLinked(l.e.workspaceId, {
          customerId: l.customerId,
          followerId: l.e.payload.followerId,
          zaloUserId: l.e.payload.zaloUserId,
          phoneE164: l.e.payload.phoneE164,
          created: l.created,
        }),
      ),
    );
  },
};
