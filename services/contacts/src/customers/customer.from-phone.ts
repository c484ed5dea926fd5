// Customers found or created by phone, for events that bring a phone and a profile
// (a Zalo follower's phone-shared, an order's buyer-seen). Set-wise over a run of
// events: a handful of statements for the run, with the result of applying the events
// one by one, in order — the first event of a new phone creates its customer, every
// later one fills what is still empty. What a person typed is never overwritten.
import type { EntityManager } from 'typeorm';
import { appendEvents } from '@customer-graph/runtime';
import { foldSearchText } from '../filter/search-text';
import { customerPhonesChanged } from './customer.events';
import { MAX_LENGTH, isEmailAddress } from './customer.input';
import type { PhoneOwner, PhoneRef } from './phone-owner';
import { ownersOf } from './phone-owner';

/** The profile fields an event may fill. */
export interface Profile {
  name: string | null;
  email: string | null;
  address: string | null;
  city: string | null;
}

const FIELDS = ['name', 'email', 'address', 'city'] as const;
const SEARCHABLE = ['name', 'address', 'city'] as const;

/**
 * A profile as the record holds it: trimmed, NFC. A value the record would refuse
 * (longer than the field holds, an email that is not an address) is left out rather
 * than failing the event: the customer is still found or created.
 */
export function profileOf(given: Partial<Record<keyof Profile, string | null>>): Profile {
  const profile: Profile = { name: null, email: null, address: null, city: null };
  for (const field of FIELDS) {
    const value = given[field]?.normalize('NFC').trim();
    if (!value || value.length > MAX_LENGTH[field]) continue;
    if (field === 'email' && !isEmailAddress(value)) continue;
    profile[field] = value;
  }
  return profile;
}

/** Fields filled in order: the first value given for each wins. */
function merged(profiles: Profile[]): Profile {
  const profile = profileOf({});
  for (const p of profiles) for (const field of FIELDS) profile[field] ??= p[field];
  return profile;
}

/** The four fields, each searchable one followed by its folded copy: seven parameter arrays. */
function profileColumns(profiles: Profile[]): (string | null)[][] {
  return FIELDS.flatMap((field) => [
    profiles.map((p) => p[field]),
    ...((SEARCHABLE as readonly string[]).includes(field)
      ? [profiles.map((p) => foldSearchText(p[field] ?? ''))]
      : []),
  ]);
}
const PROFILE_TYPES = `$3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]`;
const PROFILE_NAMES = 'name, name_search, email, address, address_search, city, city_search';

export interface PhoneArrival extends PhoneRef {
  /** The number as given, kept on a new customer's phone. */
  number: string;
  /** The profiles the phone's events bring, in order. */
  profiles: Profile[];
}

/** New customers, each with its phone and its merged profile: one statement. */
async function create(tx: EntityManager, created: { phone: PhoneArrival; customerId: string }[]) {
  await tx.query(
    `WITH c AS (
       INSERT INTO customer (id, workspace_id, ${PROFILE_NAMES}, type, has_phone)
       SELECT *, 'LEAD', true FROM unnest($1::uuid[], $2::text[], ${PROFILE_TYPES})
       RETURNING id, workspace_id)
     INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
     SELECT c.workspace_id, c.id, u.number, u.e164, 0
       FROM c JOIN unnest($1::uuid[], $10::text[], $11::text[]) AS u(id, number, e164) ON u.id = c.id`,
    [
      created.map((c) => c.customerId),
      created.map((c) => c.phone.workspaceId),
      // A phone makes a LEAD (customer_derived_type's rule, known here: the customer
      // and its phone are written by one statement, which cannot see its own rows); it
      // sets has_phone too, which the trigger on customer_phone would otherwise write
      // a second time.
      ...profileColumns(created.map((c) => merged(c.phone.profiles))),
      created.map((c) => c.phone.number),
      created.map((c) => c.phone.e164),
    ],
  );
}

/**
 * Fills only the empty fields of existing customers, with their folded search columns
 * and the derived type (an email may make a LEAD): one statement. `touchAll` moves
 * `updated_at` of every customer given (the caller changed the record otherwise: a
 * Zalo link); else only of those where a field was filled.
 */
async function fillEmpty(
  tx: EntityManager,
  fills: { phone: PhoneArrival; customerId: string }[],
  touchAll: boolean,
) {
  const filling = FIELDS.map((f) => `(c.${f} IS NULL AND u.${f} IS NOT NULL)`).join(' OR ');
  await tx.query(
    `UPDATE customer c SET
       name = COALESCE(c.name, u.name), email = COALESCE(c.email, u.email),
       address = COALESCE(c.address, u.address), city = COALESCE(c.city, u.city),
       name_search = CASE WHEN c.name IS NULL THEN u.name_search ELSE c.name_search END,
       address_search = CASE WHEN c.address IS NULL THEN u.address_search ELSE c.address_search END,
       city_search = CASE WHEN c.city IS NULL THEN u.city_search ELSE c.city_search END,
       type = customer_derived_type(c.workspace_id, c.id, COALESCE(c.email, u.email), c.has_live_order),
       updated_at = now()
     FROM unnest($1::text[], $2::uuid[], ${PROFILE_TYPES}) AS u(ws, id, ${PROFILE_NAMES})
     WHERE c.workspace_id = u.ws AND c.id = u.id${touchAll ? '' : ` AND (${filling})`}`,
    [
      fills.map((f) => f.phone.workspaceId),
      fills.map((f) => f.customerId),
      ...profileColumns(fills.map((f) => merged(f.phone.profiles))),
    ],
  );
}

/**
 * The customer of each phone (distinct phones), aligned with them: found, or created
 * with the phone and the profile; an existing one gets what it lacked. A new
 * customer's phone is announced (contacts.customer.phones-changed), as for any new
 * customer, before whatever the caller announces next.
 */
export async function customersForPhones(
  tx: EntityManager,
  phones: PhoneArrival[],
  options: { touchAll: boolean },
): Promise<PhoneOwner[]> {
  const owners = await ownersOf(tx, phones);
  const found = phones.map((phone, i) => ({ phone, customerId: owners[i].customerId }));
  const created = found.filter((_, i) => owners[i].isNew);
  const existing = found.filter((_, i) => !owners[i].isNew);
  if (created.length > 0) await create(tx, created);
  if (existing.length > 0) await fillEmpty(tx, existing, options.touchAll);
  if (created.length > 0) {
    await appendEvents(
      tx,
      created.map((c) => customerPhonesChanged(c.phone.workspaceId, c.customerId, [c.phone.e164])),
    );
  }
  return owners;
}
