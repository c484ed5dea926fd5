// Writing a batch of import rows, set-wise: a dozen statements for up to a thousand
// rows, with the result of applying the rows one by one in file order.
//
// Matching: a row's phone (E.164, through phone_owner: the number's owner, else the
// oldest customer having it), else its email (ignoring case; the oldest customer),
// else its SHOP external id. A phone nobody has is claimed for the customer the row
// matched by email or external id, else for a new customer (customers/phone-owner.ts,
// so a Zalo follower or a buyer arriving with the number at the same time finds the
// same customer). A row whose external id another customer holds is refused.
//
// A new customer gets what createCustomer gives one: the folded search columns, its
// phone and external id, phone_owner's claim, contacts.customer.phones-changed through
// the outbox, the derived type (customer_derived_type), and a remembered phone group
// (the trigger on customer_phone). An existing customer gets the row's non-empty
// values (an empty cell erases nothing), its tags added, its custom values merged, the
// phone added (announced) and the external id added; "unchanged" when it held all.
//
// Rows of a batch that name a phone, email or external id an earlier row of the batch
// named, or a customer an earlier row matched, wait for the next round (same
// transaction), so the second sees what the first did, as one by one would.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { appendEvents } from '@customer-graph/runtime';
import { customerPhonesChanged } from '../customers/customer.events';
import { ownersOf } from '../customers/phone-owner';
import { foldSearchText } from '../filter/search-text';
import type { ImportRow, RowError } from './import.rows';
import * as check from '../customers/customer.input';

export interface UpsertResult {
  created: number;
  updated: number;
  unchanged: number;
  refused: RowError[];
}

const keysOf = (row: ImportRow) => [
  ...(row.phone ? [`p:${row.phone.e164}`] : []),
  ...(row.email ? [`e:${row.email.toLowerCase()}`] : []),
  ...(row.externalId ? [`x:${row.externalId}`] : []),
];

/** Upserts the rows in file order; refused rows are returned, not thrown. */
export async function upsertRows(
  tx: EntityManager,
  workspaceId: string,
  rows: readonly ImportRow[],
): Promise<UpsertResult> {
  const result: UpsertResult = { created: 0, updated: 0, unchanged: 0, refused: [] };
  let pending = [...rows];
  while (pending.length > 0) {
    // Rows sharing no key with an earlier row of this round.
    const seen = new Set<string>();
    const round: ImportRow[] = [];
    const later: ImportRow[] = [];
    for (const row of pending) {
      const keys = keysOf(row);
      if (keys.some((k) => seen.has(k))) later.push(row);
      else round.push(row);
      keys.forEach((k) => seen.add(k));
    }
    const deferred = await upsertRound(tx, workspaceId, round, result);
    pending = [...deferred, ...later].sort((a, b) => a.line - b.line);
  }
  return result;
}

interface Target {
  row: ImportRow;
  customerId: string;
  isNew: boolean;
  /** This round claimed the row's phone for customerId (to release if refused). */
  claimed: boolean;
}

/** Finds each row's customer; returns the rows to retry in the next round. */
async function upsertRound(
  tx: EntityManager,
  workspaceId: string,
  rows: ImportRow[],
  result: UpsertResult,
): Promise<ImportRow[]> {
  const emails = [...new Set(rows.flatMap((r) => (r.email ? [r.email.toLowerCase()] : [])))];
  const xids = [...new Set(rows.flatMap((r) => (r.externalId ? [r.externalId] : [])))];
  const byEmail = new Map<string, string>(
    emails.length === 0
      ? []
      : (
          (await tx.query(
            `SELECT DISTINCT ON (lower(c.email)) lower(c.email) AS email, c.id FROM customer c
              WHERE c.workspace_id = $1 AND lower(c.email) = ANY($2::text[])
              ORDER BY lower(c.email), c.created_at, c.id`,
            [workspaceId, emails],
          )) as { email: string; id: string }[]
        ).map((r) => [r.email, r.id]),
  );
  const byXid = new Map<string, string>(
    xids.length === 0
      ? []
      : // One index lookup per id: with = ANY and no statistics yet (a table an
        // import is filling), Postgres scanned the workspace's ids for every batch.
        (
          (await tx.query(
            `SELECT x.external_id, x.customer_id
               FROM unnest($2::text[]) AS v(id)
               JOIN customer_external_id x
                 ON x.workspace_id = $1 AND x.source = 'SHOP' AND x.external_id = v.id`,
            [workspaceId, xids],
          )) as { external_id: string; customer_id: string }[]
        ).map((r) => [r.external_id, r.customer_id]),
  );
  const matchedOtherwise = (row: ImportRow) =>
    (row.email ? byEmail.get(row.email.toLowerCase()) : undefined) ??
    (row.externalId ? byXid.get(row.externalId) : undefined) ??
    null;
  const fresh = new Map(rows.map((row) => [row, randomUUID()]));
  const phoned = rows.filter((r) => r.phone);
  const owners = await ownersOf(
    tx,
    phoned.map((r) => ({ workspaceId, e164: r.phone!.e164 })),
    phoned.map((r) => matchedOtherwise(r) ?? fresh.get(r)!),
  );
  const ownerOf = new Map(phoned.map((r, i) => [r, owners[i]]));
  const targets: Target[] = rows.map((row) => {
    const owner = ownerOf.get(row);
    const customerId = owner?.customerId ?? matchedOtherwise(row) ?? fresh.get(row)!;
    return {
      row,
      customerId,
      isNew: customerId === fresh.get(row),
      claimed: owner?.isNew ?? false,
    };
  });
  const accepted: Target[] = [];
  const deferred: ImportRow[] = [];
  const refusedClaims: Target[] = [];
  const taken = new Set<string>();
  const tagsNow = await currentTags(tx, workspaceId, targets);
  for (const t of targets) {
    const holder = t.row.externalId ? byXid.get(t.row.externalId) : undefined;
    const had = tagsNow.get(t.customerId);
    const tagCount = had ? new Set([...had, ...t.row.tags]).size : 0;
    if (tagCount > check.MAX_TAGS) {
      // Tags are added to a customer's: past the cap the row is refused, as a bulk
      // action leaves such a customer alone.
      result.refused.push({
        line: t.row.line,
        column: null,
        field: 'TAGS',
        message: `the customer would have ${tagCount} tags, more than the ${check.MAX_TAGS} a customer may have`,
        cells: t.row.cells,
      });
      if (t.claimed) refusedClaims.push(t);
    } else if (holder && holder !== t.customerId) {
      result.refused.push({
        line: t.row.line,
        column: null,
        field: 'EXTERNAL_ID',
        message: `external id "${t.row.externalId}" belongs to another customer than the one this row's ${t.row.phone ? 'phone' : 'email'} matches`,
        cells: t.row.cells,
      });
      if (t.claimed) refusedClaims.push(t);
    } else if (taken.has(t.customerId)) {
      deferred.push(t.row);
    } else {
      taken.add(t.customerId);
      accepted.push(t);
    }
  }
  if (refusedClaims.length > 0) {
    await tx.query(
      `DELETE FROM phone_owner o USING unnest($2::text[], $3::uuid[]) AS r(e164, id)
        WHERE o.workspace_id = $1 AND o.e164 = r.e164 AND o.customer_id = r.id`,
      [
        workspaceId,
        refusedClaims.map((t) => t.row.phone!.e164),
        refusedClaims.map((t) => t.customerId),
      ],
    );
  }
  const created = accepted.filter((t) => t.isNew);
  const existing = accepted.filter((t) => !t.isNew);
  await createCustomers(tx, workspaceId, created);
  const changed = await updateCustomers(tx, workspaceId, existing);
  await addExternalIds(tx, workspaceId, accepted, changed);
  // New customers got their type in the INSERT; an existing one is rewritten only when
  // its type changes (most re-imported rows change nothing).
  if (existing.length > 0) {
    await tx.query(
      `UPDATE customer c SET type = d.type
         FROM (SELECT c.id, customer_derived_type(c.workspace_id, c.id, c.email, c.has_live_order) AS type
                 FROM customer c WHERE c.workspace_id = $1 AND c.id = ANY($2::uuid[])) d
        WHERE c.workspace_id = $1 AND c.id = d.id AND c.type IS DISTINCT FROM d.type`,
      [workspaceId, existing.map((t) => t.customerId)],
    );
  }
  result.created += created.length;
  result.updated += changed.size;
  result.unchanged += existing.length - changed.size;
  return deferred;
}

/** The tags of the existing customers rows add tags to. */
async function currentTags(
  tx: EntityManager,
  workspaceId: string,
  targets: readonly Target[],
): Promise<Map<string, string[]>> {
  const ids = targets.filter((t) => !t.isNew && t.row.tags.length > 0).map((t) => t.customerId);
  if (ids.length === 0) return new Map();
  const rows: { id: string; tags: string[] }[] = await tx.query(
    'SELECT id, tags FROM customer WHERE workspace_id = $1 AND id = ANY($2::uuid[])',
    [workspaceId, ids],
  );
  return new Map(rows.map((r) => [r.id, r.tags]));
}

/** The rows' values as one JSON parameter for jsonb_to_recordset. */
function recordsOf(targets: readonly Target[]): string {
  return JSON.stringify(
    targets.map(({ row, customerId }) => ({
      id: customerId,
      name: row.name,
      name_search: row.name === null ? null : foldSearchText(row.name),
      email: row.email,
      address: row.address,
      address_search: row.address === null ? null : foldSearchText(row.address),
      city: row.city,
      city_search: row.city === null ? null : foldSearchText(row.city),
      birthday: row.birthday,
      gender: row.gender,
      tags: row.tags,
      custom: row.custom,
      has_shop_id: row.externalId !== null,
      has_phone: row.phone !== null,
    })),
  );
}

const RECORD = `x(id uuid, name text, name_search text, email text, address text,
  address_search text, city text, city_search text, birthday date, gender text, tags text[],
  custom jsonb, has_shop_id boolean, has_phone boolean)`;

async function createCustomers(tx: EntityManager, workspaceId: string, created: Target[]) {
  if (created.length === 0) return;
  await tx.query(
    `INSERT INTO customer (id, workspace_id, name, name_search, email, address, address_search,
       city, city_search, birthday, gender, tags, labels, custom, type, has_phone)
     SELECT x.id, $1, x.name, COALESCE(x.name_search, ''), x.email, x.address,
            COALESCE(x.address_search, ''), x.city, COALESCE(x.city_search, ''), x.birthday,
            x.gender, x.tags, '{}', x.custom,
            -- The type rule of the facts this batch writes: its phone and SHOP id.
            customer_type_of(false, x.has_shop_id, x.email, x.has_phone),
            -- As the phones' INSERT below makes it: the trigger then rewrites nothing.
            x.has_phone
       FROM jsonb_to_recordset($2::jsonb) AS ${RECORD}`,
    [workspaceId, recordsOf(created)],
  );
  const phoned = created.filter((t) => t.row.phone);
  if (phoned.length === 0) return;
  // Their phones were claimed in phone_owner by ownersOf; the trigger on customer_phone
  // puts them in a remembered group.
  await tx.query(
    `INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
     SELECT $1, p.id, p.number, p.e164, 0 FROM unnest($2::uuid[], $3::text[], $4::text[]) AS p(id, number, e164)`,
    [
      workspaceId,
      phoned.map((t) => t.customerId),
      phoned.map((t) => t.row.phone!.typed),
      phoned.map((t) => t.row.phone!.e164),
    ],
  );
  await appendEvents(
    tx,
    phoned.map((t) => customerPhonesChanged(workspaceId, t.customerId, [t.row.phone!.e164])),
  );
}

/**
 * Writes the rows' non-empty values over existing customers and adds their phones;
 * returns the ids of the customers changed.
 */
async function updateCustomers(
  tx: EntityManager,
  workspaceId: string,
  existing: Target[],
): Promise<Set<string>> {
  const changed = new Set<string>();
  if (existing.length === 0) return changed;
  const differs = (column: string) =>
    `(x.${column} IS NOT NULL AND x.${column} IS DISTINCT FROM c.${column})`;
  const [rows] = (await tx.query(
    `UPDATE customer c SET
       name = COALESCE(x.name, c.name), name_search = COALESCE(x.name_search, c.name_search),
       email = COALESCE(x.email, c.email),
       address = COALESCE(x.address, c.address),
       address_search = COALESCE(x.address_search, c.address_search),
       city = COALESCE(x.city, c.city), city_search = COALESCE(x.city_search, c.city_search),
       birthday = COALESCE(x.birthday, c.birthday), gender = COALESCE(x.gender, c.gender),
       tags = c.tags || ARRAY(SELECT t FROM unnest(x.tags) WITH ORDINALITY AS u(t, n)
                               WHERE NOT (t = ANY(c.tags)) ORDER BY n),
       custom = c.custom || x.custom, updated_at = now()
     FROM jsonb_to_recordset($2::jsonb) AS ${RECORD}
     WHERE c.workspace_id = $1 AND c.id = x.id
       AND (${['name', 'email', 'address', 'city', 'birthday', 'gender'].map(differs).join(' OR ')}
            OR NOT (x.tags <@ c.tags) OR (c.custom || x.custom) IS DISTINCT FROM c.custom)
     RETURNING c.id`,
    [workspaceId, recordsOf(existing)],
  )) as [{ id: string }[], number];
  rows.forEach((r) => changed.add(r.id));
  await addPhones(tx, workspaceId, existing, changed);
  return changed;
}

/** Adds each row's phone to its existing customer when it lacks it, announcing the new set. */
async function addPhones(
  tx: EntityManager,
  workspaceId: string,
  existing: Target[],
  changed: Set<string>,
) {
  const phoned = existing.filter((t) => t.row.phone);
  if (phoned.length === 0) return;
  const added: { customer_id: string; phones: string[] }[] = await tx.query(
    `WITH given AS (
       SELECT * FROM unnest($2::uuid[], $3::text[], $4::text[]) AS g(id, number, e164)),
     missing AS (
       SELECT g.*, COALESCE((SELECT max(p.position) + 1 FROM customer_phone p
                              WHERE p.workspace_id = $1 AND p.customer_id = g.id), 0) AS position
         FROM given g
        WHERE NOT EXISTS (SELECT 1 FROM customer_phone p
                           WHERE p.workspace_id = $1 AND p.customer_id = g.id AND p.e164 = g.e164)),
     inserted AS (
       INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
       SELECT $1, id, number, e164, position FROM missing RETURNING customer_id, e164),
     owned AS (
       INSERT INTO phone_owner (workspace_id, e164, customer_id)
       SELECT $1, e164, customer_id FROM inserted ON CONFLICT (workspace_id, e164) DO NOTHING)
     SELECT i.customer_id,
            (SELECT array_agg(p.e164 ORDER BY p.position) FROM customer_phone p
              WHERE p.workspace_id = $1 AND p.customer_id = i.customer_id AND p.e164 IS NOT NULL)
              || i.e164 AS phones
       FROM inserted i`,
    [
      workspaceId,
      phoned.map((t) => t.customerId),
      phoned.map((t) => t.row.phone!.typed),
      phoned.map((t) => t.row.phone!.e164),
    ],
  );
  if (added.length === 0) return;
  added.forEach((a) => changed.add(a.customer_id));
  await tx.query(
    `UPDATE customer SET updated_at = now() WHERE workspace_id = $1 AND id = ANY($2::uuid[])`,
    [workspaceId, added.map((a) => a.customer_id)],
  );
  await appendEvents(
    tx,
    added.map((a) => customerPhonesChanged(workspaceId, a.customer_id, a.phones)),
  );
}

/** Adds the rows' external ids their customers lack; a customer given one is changed. */
async function addExternalIds(
  tx: EntityManager,
  workspaceId: string,
  accepted: Target[],
  changed: Set<string>,
) {
  const given = accepted.filter((t) => t.row.externalId);
  if (given.length === 0) return;
  const inserted: { customer_id: string }[] = await tx.query(
    `INSERT INTO customer_external_id (workspace_id, source, external_id, customer_id)
     SELECT $1, 'SHOP', x.id, x.customer_id FROM unnest($2::text[], $3::uuid[]) AS x(id, customer_id)
     ON CONFLICT DO NOTHING RETURNING customer_id`,
    [workspaceId, given.map((t) => t.row.externalId), given.map((t) => t.customerId)],
  );
  const fresh = new Set(accepted.filter((t) => t.isNew).map((t) => t.customerId));
  for (const { customer_id } of inserted) if (!fresh.has(customer_id)) changed.add(customer_id);
}
