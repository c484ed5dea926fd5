// followers.follower.phone-shared: a Zalo follower shared a phone. Find the customer
// that phone belongs to in the workspace — or create one (a LEAD: a name and a phone)
// — link the Zalo identity, fill only the profile fields nobody filled yet, and tell
// the followers subgraph which customer it is.
//
// One customer per phone is guaranteed by phone_owner's primary key, not by timing:
// when two events for a new phone race, both create a customer, one claims the phone,
// and the other rolls its customer back to a savepoint and links to the winner.
import type { EntityManager } from 'typeorm';
import { appendEvent } from '@customer-graph/runtime';
import type { EventEnvelope, EventHandler } from '@customer-graph/runtime';
import type { PhoneShared } from './zalo.events';
import { zaloLinked } from './zalo.events';

async function ownerOf(tx: EntityManager, workspaceId: string, e164: string) {
  const [row] = await tx.query(
    'SELECT customer_id FROM phone_owner WHERE workspace_id = $1 AND e164 = $2',
    [workspaceId, e164],
  );
  return row?.customer_id as string | undefined;
}

/** An existing customer with this phone (oldest first) who does not own it yet. */
async function customerWithPhone(tx: EntityManager, workspaceId: string, e164: string) {
  const [row] = await tx.query(
    `SELECT p.customer_id FROM customer_phone p JOIN customer c ON c.id = p.customer_id
      WHERE p.workspace_id = $1 AND p.e164 = $2 ORDER BY c.created_at, c.id LIMIT 1`,
    [workspaceId, e164],
  );
  return row?.customer_id as string | undefined;
}

async function claim(tx: EntityManager, workspaceId: string, e164: string, customerId: string) {
  const rows = await tx.query(
    `INSERT INTO phone_owner (workspace_id, e164, customer_id) VALUES ($1, $2, $3)
     ON CONFLICT (workspace_id, e164) DO NOTHING RETURNING customer_id`,
    [workspaceId, e164, customerId],
  );
  return rows.length > 0;
}

async function createLead(tx: EntityManager, workspaceId: string, p: PhoneShared) {
  const [customer] = await tx.query(
    `INSERT INTO customer (workspace_id, name, address, city) VALUES ($1, $2, $3, $4) RETURNING id`,
    [workspaceId, p.name, joinAddress(p), p.city],
  );
  await tx.query(
    `INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
     VALUES ($1, $2, $3, $4, 0)`,
    [workspaceId, customer.id, p.phone, p.phoneE164],
  );
  return customer.id as string;
}

function joinAddress(p: PhoneShared): string | null {
  const parts = [p.address, p.ward, p.district].filter((x): x is string => !!x);
  return parts.length > 0 ? parts.join(', ') : null;
}

/** Returns the phone's customer, creating one when nobody has the phone. */
async function resolveCustomer(tx: EntityManager, workspaceId: string, p: PhoneShared) {
  const owner = await ownerOf(tx, workspaceId, p.phoneE164);
  if (owner) return { customerId: owner, created: false };
  const existing = await customerWithPhone(tx, workspaceId, p.phoneE164);
  if (existing) {
    if (await claim(tx, workspaceId, p.phoneE164, existing)) {
      return { customerId: existing, created: false };
    }
    return { customerId: (await ownerOf(tx, workspaceId, p.phoneE164))!, created: false };
  }
  await tx.query('SAVEPOINT new_lead');
  const created = await createLead(tx, workspaceId, p);
  if (await claim(tx, workspaceId, p.phoneE164, created)) {
    await tx.query('RELEASE SAVEPOINT new_lead');
    return { customerId: created, created: true };
  }
  // Another event claimed the phone first (its commit unblocked our insert).
  await tx.query('ROLLBACK TO SAVEPOINT new_lead');
  return { customerId: (await ownerOf(tx, workspaceId, p.phoneE164))!, created: false };
}

export const onPhoneShared: EventHandler = async (tx, event) => {
  const { workspaceId, payload } = event as EventEnvelope<PhoneShared>;
  await tx.query('INSERT INTO workspace (id) VALUES ($1) ON CONFLICT DO NOTHING', [workspaceId]);
  const { customerId, created } = await resolveCustomer(tx, workspaceId, payload);
  if (!created) {
    // Only empty fields: what a person typed is never overwritten.
    await tx.query(
      `UPDATE customer SET
         name = COALESCE(name, $3), address = COALESCE(address, $4), city = COALESCE(city, $5),
         updated_at = now()
       WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, customerId, payload.name, joinAddress(payload), payload.city],
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
