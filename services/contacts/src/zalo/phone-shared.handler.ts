// followers.follower.phone-shared: a Zalo follower shared a phone. Find the customer
// that phone belongs to in the workspace — or create one (a LEAD: it has a phone) —
// link the Zalo identity, fill only the profile fields nobody filled yet, and tell
// the followers subgraph which customer it is (and, for a new customer, every
// subgraph its phone: contacts.customer.phones-changed).
//
// One customer per phone is guaranteed by phone_owner's primary key, not by timing:
// when two transactions race for a new phone, one claims it and creates the customer;
// the other's claim waits for that commit and links to the winner.
//
// Events come in runs (a chunk of a partition) and are applied set-wise: a handful of
// statements per run instead of six per event. The result is what applying them one by
// one, in order, would give: the first event of a new phone creates its customer, and
// every later one fills what is still empty; the last link of a Zalo user wins.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { appendEvents } from '@customer-graph/runtime';
import type {
  BatchEventHandler,
  EventOf,
  FOLLOWER_PHONE_SHARED,
  FollowerPhoneSharedPayload,
} from '@customer-graph/runtime';
import { foldSearchText } from '../filter/search-text';
import { customerPhonesChanged } from '../customers/customer.events';
import { zaloLinked } from './zalo.events';

type Shared = EventOf<typeof FOLLOWER_PHONE_SHARED>;

/** Workspace and phone: the key of one phone's owner. */
const phoneKey = (e: Shared) => `${e.workspaceId} ${e.payload.phoneE164}`;

interface Profile {
  name: string | null;
  address: string | null;
  city: string | null;
}

function profileOf(p: FollowerPhoneSharedPayload): Profile {
  const parts = [p.address, p.ward, p.district].filter((x): x is string => !!x);
  return {
    name: p.name ?? null,
    address: parts.length > 0 ? parts.join(', ') : null,
    city: p.city ?? null,
  };
}

/** Fields filled in event order: the first value given for each wins. */
function merged(events: Shared[]): Profile {
  const profile: Profile = { name: null, address: null, city: null };
  for (const e of events) {
    const p = profileOf(e.payload);
    profile.name ??= p.name;
    profile.address ??= p.address;
    profile.city ??= p.city;
  }
  return profile;
}

/** Name, address and city, each beside its folded search text: six parameter arrays. */
function profileColumns(profiles: Profile[]): (string | null)[][] {
  return (['name', 'address', 'city'] as const).flatMap((field) => [
    profiles.map((p) => p[field]),
    profiles.map((p) => foldSearchText(p[field] ?? '')),
  ]);
}

interface Phone {
  workspaceId: string;
  e164: string;
  /** The phone's events, in order. */
  events: Shared[];
}

/** Each phone's owner, and else the oldest customer who has it: one statement. */
async function lookup(tx: EntityManager, phones: Phone[]) {
  const rows: { owner: string | null; existing: string | null }[] = await tx.query(
    `SELECT
       (SELECT customer_id FROM phone_owner o WHERE o.workspace_id = u.ws AND o.e164 = u.e164) AS owner,
       (SELECT p.customer_id FROM customer_phone p JOIN customer c ON c.id = p.customer_id
         WHERE p.workspace_id = u.ws AND p.e164 = u.e164 ORDER BY c.created_at, c.id LIMIT 1) AS existing
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(ws, e164, n) ORDER BY u.n`,
    [phones.map((p) => p.workspaceId), phones.map((p) => p.e164)],
  );
  return rows;
}

/**
 * Claims unowned phones for their candidates, in key order (so two runs claiming
 * overlapping phones lock them in the same order). Returns each phone's owner: its
 * candidate, or whoever claimed it first — read in a new statement, whose snapshot
 * sees that commit.
 */
async function claim(tx: EntityManager, claims: { phone: Phone; candidate: string }[]) {
  const sorted = [...claims].sort((a, b) =>
    phoneKey(a.phone.events[0]) < phoneKey(b.phone.events[0]) ? -1 : 1,
  );
  const args = [
    sorted.map((c) => c.phone.workspaceId),
    sorted.map((c) => c.phone.e164),
    sorted.map((c) => c.candidate),
  ];
  await tx.query(
    `INSERT INTO phone_owner (workspace_id, e164, customer_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[])
     ON CONFLICT (workspace_id, e164) DO NOTHING`,
    args,
  );
  const owners: { ws: string; e164: string; customer_id: string }[] = await tx.query(
    `SELECT o.workspace_id AS ws, o.e164, o.customer_id FROM phone_owner o
       JOIN unnest($1::text[], $2::text[]) AS u(ws, e164) ON o.workspace_id = u.ws AND o.e164 = u.e164`,
    args.slice(0, 2),
  );
  return new Map(owners.map((o) => [`${o.ws} ${o.e164}`, o.customer_id]));
}

/** New customers, one per phone, with the phone and the merged profile: one statement. */
async function create(tx: EntityManager, created: { phone: Phone; customerId: string }[]) {
  if (created.length === 0) return;
  const profiles = created.map((c) => merged(c.phone.events));
  const first = created.map((c) => c.phone.events[0].payload);
  await tx.query(
    `WITH c AS (
       INSERT INTO customer (id, workspace_id, name, name_search, address, address_search, city,
                             city_search, type)
       SELECT *, 'LEAD' FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],
                                    $6::text[], $7::text[], $8::text[])
       RETURNING id, workspace_id)
     INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
     SELECT c.workspace_id, c.id, u.number, u.e164, 0
       FROM c JOIN unnest($1::uuid[], $9::text[], $10::text[]) AS u(id, number, e164) ON u.id = c.id`,
    [
      created.map((c) => c.customerId),
      created.map((c) => c.phone.workspaceId),
      // A phone makes a LEAD (customer_derived_type's rule, known here: the customer
      // and its phone are written by one statement, which cannot see its own rows).
      ...profileColumns(profiles),
      first.map((p) => p.phone),
      first.map((p) => p.phoneE164),
    ],
  );
}

/**
 * Fills only the empty fields of existing customers (what a person typed is never
 * overwritten), with their folded search columns and the derived type: one statement.
 */
async function fillEmpty(
  tx: EntityManager,
  fills: { workspaceId: string; customerId: string; events: Shared[] }[],
) {
  if (fills.length === 0) return;
  const profiles = fills.map((f) => merged(f.events));
  await tx.query(
    `UPDATE customer c SET
       name = COALESCE(c.name, u.name), address = COALESCE(c.address, u.address),
       city = COALESCE(c.city, u.city),
       name_search = CASE WHEN c.name IS NULL THEN u.name_search ELSE c.name_search END,
       address_search = CASE WHEN c.address IS NULL THEN u.address_search ELSE c.address_search END,
       city_search = CASE WHEN c.city IS NULL THEN u.city_search ELSE c.city_search END,
       type = customer_derived_type(c.workspace_id, c.id, c.email, c.has_live_order),
       updated_at = now()
     FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                 $8::text[]) AS u(ws, id, name, name_search, address, address_search, city, city_search)
     WHERE c.workspace_id = u.ws AND c.id = u.id`,
    [fills.map((f) => f.workspaceId), fills.map((f) => f.customerId), ...profileColumns(profiles)],
  );
}

/** The Zalo identities, each to its customer (a user's last event wins): one statement. */
async function linkZaloIds(
  tx: EntityManager,
  links: Map<string, { e: Shared; customerId: string }>,
) {
  const rows = [...links.values()];
  await tx.query(
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
    const phones = new Map<string, Phone>();
    for (const e of events) {
      const phone = phones.get(phoneKey(e)) ?? {
        workspaceId: e.workspaceId,
        e164: e.payload.phoneE164,
        events: [],
      };
      phone.events.push(e);
      phones.set(phoneKey(e), phone);
    }
    const list = [...phones.values()];
    const found = await lookup(tx, list);
    // The claim comes first (phone_owner's foreign key is checked at commit), so a
    // racer that loses creates nothing.
    const claims = list.flatMap((phone, i) =>
      found[i].owner ? [] : [{ phone, candidate: found[i].existing ?? randomUUID(), i }],
    );
    const owners = claims.length > 0 ? await claim(tx, claims) : new Map<string, string>();
    const ownerOf = list.map(
      (phone, i) => found[i].owner ?? owners.get(phoneKey(phone.events[0]))!,
    );
    const isNew = new Set(
      claims.filter((c) => !found[c.i].existing && ownerOf[c.i] === c.candidate).map((c) => c.i),
    );
    await create(
      tx,
      [...isNew].map((i) => ({ phone: list[i], customerId: ownerOf[i] })),
    );
    await fillEmpty(
      tx,
      list.flatMap((phone, i) =>
        isNew.has(i)
          ? []
          : [{ workspaceId: phone.workspaceId, customerId: ownerOf[i], events: phone.events }],
      ),
    );
    // In the order the events came: a Zalo user's last event wins its link, and the
    // links are announced in that order.
    const order = new Map(events.map((e, n) => [e.id, n]));
    const linked = list
      .flatMap((phone, i) =>
        phone.events.map((e, n) => ({
          e,
          customerId: ownerOf[i],
          created: isNew.has(i) && n === 0,
        })),
      )
      .sort((a, b) => order.get(a.e.id)! - order.get(b.e.id)!);
    const links = new Map<string, { e: Shared; customerId: string }>();
    for (const l of linked) links.set(`${l.e.workspaceId} ${l.e.payload.zaloUserId}`, l);
    await linkZaloIds(tx, links);
    // A new customer's phone is announced before its link, as createCustomer would.
    await appendEvents(tx, [
      ...[...isNew].map((i) =>
        customerPhonesChanged(list[i].workspaceId, ownerOf[i], [list[i].e164]),
      ),
      ...linked.map((l) =>
        zaloLinked(l.e.workspaceId, {
          customerId: l.customerId,
          followerId: l.e.payload.followerId,
          zaloUserId: l.e.payload.zaloUserId,
          phoneE164: l.e.payload.phoneE164,
          created: l.created,
        }),
      ),
    ]);
  },
};
