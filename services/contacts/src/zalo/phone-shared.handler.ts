// followers.follower.phone-shared: a Zalo follower shared a phone. Find the customer
// that phone belongs to in the workspace — or create one (a LEAD: a name and a phone)
// — link the Zalo identity, fill only the profile fields nobody filled yet, and tell
// the followers subgraph which customer it is.
//
// One customer per phone is guaranteed by phone_owner's primary key, not by timing:
// when two events for a new phone race, one claims the phone and creates the
// customer; the other's claim waits for that commit and links to the winner.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { appendEvent } from '@customer-graph/runtime';
import type { EventEnvelope, EventHandler } from '@customer-graph/runtime';
import { foldSearchText } from '../filter/search-text';
import type { PhoneShared } from './zalo.events';
import { zaloLinked } from './zalo.events';

/** The phone's owner, and else the oldest customer who has the phone: one round trip. */
async function lookup(tx: EntityManager, workspaceId: string, e164: string) {
  const [row] = await tx.query(
    `SELECT
       (SELECT customer_id FROM phone_owner WHERE workspace_id = $1 AND e164 = $2) AS owner,
       (SELECT p.customer_id FROM customer_phone p JOIN customer c ON c.id = p.customer_id
         WHERE p.workspace_id = $1 AND p.e164 = $2 ORDER BY c.created_at, c.id LIMIT 1) AS existing`,
    [workspaceId, e164],
  );
  return row as { owner: string | null; existing: string | null };
}

/**
 * Claims the phone for `customerId`; returns the phone's owner — `customerId`, or
 * whoever claimed it first. A racer's insert waits on the primary key until the first
 * commits; the owner is then read in a new statement, whose snapshot sees that commit.
 */
async function claim(tx: EntityManager, workspaceId: string, e164: string, customerId: string) {
  const claimed = await tx.query(
    `INSERT INTO phone_owner (workspace_id, e164, customer_id) VALUES ($1, $2, $3)
     ON CONFLICT (workspace_id, e164) DO NOTHING RETURNING customer_id`,
    [workspaceId, e164, customerId],
  );
  if (claimed.length > 0) return customerId;
  const [owner] = await tx.query(
    'SELECT customer_id FROM phone_owner WHERE workspace_id = $1 AND e164 = $2',
    [workspaceId, e164],
  );
  return owner.customer_id as string;
}

function joinAddress(p: PhoneShared): string | null {
  const parts = [p.address, p.ward, p.district].filter((x): x is string => !!x);
  return parts.length > 0 ? parts.join(', ') : null;
}

/** Returns the phone's customer, creating one (a LEAD) when nobody has the phone. */
async function resolveCustomer(tx: EntityManager, workspaceId: string, p: PhoneShared) {
  const { owner, existing } = await lookup(tx, workspaceId, p.phoneE164);
  if (owner) return { customerId: owner, created: false };
  // The claim comes first (phone_owner's foreign key is checked at commit), so a racer
  // that loses creates nothing.
  const candidate = existing ?? randomUUID();
  const customerId = await claim(tx, workspaceId, p.phoneE164, candidate);
  if (customerId !== candidate || existing) return { customerId, created: false };
  const address = joinAddress(p);
  // A new customer has this phone and nothing else: a LEAD when it has a name
  // (customer_derived_type's rule, known here without asking).
  await tx.query(
    `WITH c AS (
       INSERT INTO customer (id, workspace_id, name, name_search, address, address_search, city,
                             city_search, type)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING id)
     INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
     SELECT $2, c.id, $10, $11, 0 FROM c`,
    [
      customerId,
      workspaceId,
      p.name,
      foldSearchText(p.name ?? ''),
      address,
      foldSearchText(address ?? ''),
      p.city,
      foldSearchText(p.city ?? ''),
      p.name ? 'LEAD' : 'VISITOR',
      p.phone,
      p.phoneE164,
    ],
  );
  return { customerId, created: true };
}

export const onPhoneShared: EventHandler = async (tx, event) => {
  const { workspaceId, payload } = event as EventEnvelope<PhoneShared>;
  const { customerId, created } = await resolveCustomer(tx, workspaceId, payload);
  if (!created) {
    // Only empty fields: what a person typed is never overwritten.
    // The folded search columns follow the fields they fold; the type is derived
    // from the filled-in values in the same statement.
    const address = joinAddress(payload);
    await tx.query(
      `UPDATE customer SET
         name = COALESCE(name, $3), address = COALESCE(address, $4), city = COALESCE(city, $5),
         name_search = CASE WHEN name IS NULL THEN $6 ELSE name_search END,
         address_search = CASE WHEN address IS NULL THEN $7 ELSE address_search END,
         city_search = CASE WHEN city IS NULL THEN $8 ELSE city_search END,
         type = customer_derived_type(workspace_id, id, COALESCE(name, $3), email),
         updated_at = now()
       WHERE workspace_id = $1 AND id = $2`,
      [
        workspaceId,
        customerId,
        payload.name,
        address,
        payload.city,
        foldSearchText(payload.name ?? ''),
        foldSearchText(address ?? ''),
        foldSearchText(payload.city ?? ''),
      ],
    );
  }
  await tx.query(
    `INSERT INTO customer_external_id (workspace_id, source, external_id, customer_id)
     VALUES ($1, 'ZALO', $2, $3)
     ON CONFLICT (workspace_id, source, external_id) DO UPDATE SET customer_id = EXCLUDED.customer_id`,
    [workspaceId, payload.zaloUserId, customerId],
  );
  await appendEvent(
    tx,
    zaloLinked(workspaceId, {
      customerId,
      followerId: payload.followerId,
      zaloUserId: payload.zaloUserId,
      phoneE164: payload.phoneE164,
      created,
    }),
  );
};
