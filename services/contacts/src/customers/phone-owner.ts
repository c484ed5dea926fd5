// Whose phone is it? When something arrives with only a phone (a Zalo follower shares
// one, an order comes in with a buyer's), the workspace's customer for that phone is
// its owner in phone_owner — else the oldest customer who has the number, who is made
// its owner — else a new customer, whom the caller creates.
//
// One customer per phone is guaranteed by phone_owner's primary key, not by timing:
// when two transactions race for a new phone, one claims it and creates the customer;
// the other's claim waits for that commit and finds the winner. The claim comes before
// the customer is inserted (phone_owner's foreign key is checked at commit), so a
// racer that loses creates nothing.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** One phone of one workspace. */
export interface PhoneRef {
  workspaceId: string;
  /** E.164. */
  e164: string;
}

export interface PhoneOwner {
  customerId: string;
  /**
   * This transaction claimed the phone for its candidate (a new id unless the caller
   * gave one): the caller must create that customer, or give the given one the phone.
   */
  isNew: boolean;
}

const keyOf = (p: PhoneRef) => `${p.workspaceId} ${p.e164}`;

/** Events grouped by their phone, in the order each phone first appears; events kept in order. */
export function groupByPhone<E extends { workspaceId: string; payload: { phoneE164: string } }>(
  events: E[],
): (PhoneRef & { events: E[] })[] {
  const phones = new Map<string, PhoneRef & { events: E[] }>();
  for (const e of events) {
    const ref = { workspaceId: e.workspaceId, e164: e.payload.phoneE164 };
    const phone = phones.get(keyOf(ref)) ?? { ...ref, events: [] };
    phone.events.push(e);
    phones.set(keyOf(ref), phone);
  }
  return [...phones.values()];
}

/** Each phone's owner, and else the oldest customer who has it: one statement. */
async function lookup(tx: EntityManager, phones: PhoneRef[]) {
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
 * overlapping phones lock them in the same order). Returns each phone's owner by key:
 * its candidate, or whoever claimed it first — read in a new statement, whose snapshot
 * sees that commit.
 */
async function claim(tx: EntityManager, claims: { phone: PhoneRef; candidate: string }[]) {
  const sorted = [...claims].sort((a, b) => (keyOf(a.phone) < keyOf(b.phone) ? -1 : 1));
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
  return new Map(owners.map((o) => [keyOf({ workspaceId: o.ws, e164: o.e164 }), o.customer_id]));
}

/**
 * The owner of each phone (distinct phones), aligned with them: at most three
 * statements. A phone nobody has is claimed for `given[i]` when there is one (an import
 * matched its row to a customer by email: that customer gets the phone), else for a
 * new id; `isNew` says this transaction claimed it for its candidate.
 */
export async function ownersOf(
  tx: EntityManager,
  phones: PhoneRef[],
  given?: readonly (string | null)[],
): Promise<PhoneOwner[]> {
  if (phones.length === 0) return [];
  const found = await lookup(tx, phones);
  const claims = phones.flatMap((phone, i) =>
    found[i].owner
      ? []
      : [{ phone, candidate: found[i].existing ?? given?.[i] ?? randomUUID(), i }],
  );
  const claimed = claims.length > 0 ? await claim(tx, claims) : new Map<string, string>();
  const candidates = new Map(claims.map((c) => [c.i, c]));
  return phones.map((phone, i) => {
    if (found[i].owner) return { customerId: found[i].owner, isNew: false };
    const customerId = claimed.get(keyOf(phone))!;
    const isNew = !found[i].existing && customerId === candidates.get(i)!.candidate;
    return { customerId, isNew };
  });
}
