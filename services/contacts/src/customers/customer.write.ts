// Creating, changing and deleting customers. Every value is checked before anything is
// written (a patch's phones are checked against the current ones inside the
// transaction, which a refusal rolls back), so a bad value writes nothing; the derived
// type is recomputed by
// customer_derived_type in the same transaction; a change of the set of phones
// publishes contacts.customer.phones-changed and a deletion contacts.customer.deleted,
// through the outbox.
import type { EntityManager } from 'typeorm';
import {
  appendEvents,
  badInput,
  isUuid,
  publicError,
  PublicErrorCode,
  staffScope,
} from '@customer-graph/runtime';
import type { Identity, Phone } from '@customer-graph/runtime';
import type { CustomerInput, CustomerPatch } from '../generated/graphql';
import { validateValues } from '../custom-fields/custom-field.values';
import type { CustomFieldRow } from '../custom-fields/custom-field.entity';
import { foldSearchText } from '../filter/search-text';
import { CUSTOMER_SELECT } from './customer.entity';
import type { CustomerRow } from './customer.entity';
import { customerAssigned, customerDeleted, customerPhonesChanged } from './customer.events';
import * as check from './customer.input';

/** The most customers one synchronous call may change or delete. */
export const MAX_SYNC_IDS = 100;

export interface Writer {
  identity: Identity;
  customFields: ReadonlyMap<string, CustomFieldRow>;
}

/** Staff may only give customers to themselves. */
function staffOwnAssignment(identity: Identity, assignedStaff: string | null, field: string) {
  if (identity.role === 'staff' && assignedStaff !== identity.userId) {
    throw publicError(PublicErrorCode.FORBIDDEN, 'staff can assign customers only to themselves', {
      field,
    });
  }
}

/** Custom values to set (non-null) and keys to clear (null), checked against the fields. */
function customChanges(writer: Writer, values: unknown, field: string) {
  if (values == null) return { set: {}, clear: [] as string[] };
  const valid = validateValues(writer.customFields, values as Record<string, unknown>, field);
  const set: Record<string, unknown> = {};
  const clear: string[] = [];
  for (const [key, value] of Object.entries(valid)) {
    if (value === null) clear.push(key);
    else set[key] = value;
  }
  return { set, clear };
}

export async function createCustomer(
  tx: EntityManager,
  writer: Writer,
  input: CustomerInput,
): Promise<CustomerRow> {
  const { identity } = writer;
  const assignedStaff =
    input.assignedStaff === undefined && identity.role === 'staff'
      ? identity.userId
      : check.userId(input.assignedStaff, 'input.assignedStaff');
  staffOwnAssignment(identity, assignedStaff, 'input.assignedStaff');
  const name = check.text(input.name, 'input.name', check.MAX_LENGTH.name);
  const address = check.text(input.address, 'input.address', check.MAX_LENGTH.address);
  const city = check.text(input.city, 'input.city', check.MAX_LENGTH.city);
  const values = [
    identity.workspaceId,
    name,
    foldSearchText(name ?? ''),
    check.email(input.email, 'input.email'),
    address,
    foldSearchText(address ?? ''),
    city,
    foldSearchText(city ?? ''),
    input.birthday ?? null,
    input.gender ?? null,
    check.timezone(input.timezone, 'input.timezone'),
    check.url(input.avatarUrl, 'input.avatarUrl'),
    check.labels(input.tags, 'input.tags', check.MAX_TAGS),
    check.labels(input.labels, 'input.labels', check.MAX_LABELS),
    assignedStaff,
    input.group ?? null,
    JSON.stringify(customChanges(writer, input.custom, 'input.custom').set),
  ];
  const phones = check.phones(input.phone, input.otherPhones, 'input');
  const externalIds = check.externalIds(input.externalIds, 'input.externalIds');
  const [{ id }] = await tx.query(
    `INSERT INTO customer (workspace_id, name, name_search, email, address, address_search, city,
       city_search, birthday, gender, timezone, avatar_url, tags, labels, assigned_staff,
       customer_group, custom, has_phone)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
     RETURNING id`,
    // has_phone as replacePhones is about to make it (the trigger then writes nothing).
    [...values, phones.length > 0],
  );
  await replacePhones(tx, identity.workspaceId, id, phones);
  await addExternalIds(tx, identity, id, externalIds, 'input.externalIds');
  // A new customer without phones or staff has nothing to announce (nobody had them).
  const events = [
    ...(assignedStaff !== null ? [customerAssigned(identity.workspaceId, id, assignedStaff)] : []),
    ...(phones.length > 0
      ? [
          customerPhonesChanged(
            identity.workspaceId,
            id,
            phones.map((p) => p.e164),
          ),
        ]
      : []),
  ];
  if (events.length > 0) await appendEvents(tx, events);
  return refreshAndRead(tx, identity.workspaceId, id);
}

/** The patch's column changes as SQL assignments, with parameters from `add`. */
function patchAssignments(writer: Writer, patch: CustomerPatch, add: (v: unknown) => string) {
  const sets: string[] = [];
  const set = (column: string, value: unknown) => sets.push(`${column} = ${add(value)}`);
  const searchable = (key: 'name' | 'address' | 'city') => {
    if (!(key in patch)) return;
    const value = check.text(patch[key], `input.${key}`, check.MAX_LENGTH[key]);
    set(key, value);
    set(`${key}_search`, foldSearchText(value ?? ''));
  };
  searchable('name');
  searchable('address');
  searchable('city');
  if ('email' in patch) set('email', check.email(patch.email, 'input.email'));
  if ('birthday' in patch) set('birthday', patch.birthday ?? null);
  if ('gender' in patch) set('gender', patch.gender ?? null);
  if ('timezone' in patch) set('timezone', check.timezone(patch.timezone, 'input.timezone'));
  if ('avatarUrl' in patch) set('avatar_url', check.url(patch.avatarUrl, 'input.avatarUrl'));
  if ('tags' in patch) set('tags', check.labels(patch.tags, 'input.tags', check.MAX_TAGS));
  if ('labels' in patch) {
    set('labels', check.labels(patch.labels, 'input.labels', check.MAX_LABELS));
  }
  if ('group' in patch) set('customer_group', patch.group ?? null);
  if ('assignedStaff' in patch) {
    const staff = check.userId(patch.assignedStaff, 'input.assignedStaff');
    staffOwnAssignment(writer.identity, staff, 'input.assignedStaff');
    set('assigned_staff', staff);
  }
  if ('custom' in patch) {
    const { set: values, clear } = customChanges(writer, patch.custom, 'input.custom');
    sets.push(`custom = (custom || ${add(JSON.stringify(values))}::jsonb) - ${add(clear)}::text[]`);
  }
  return sets;
}

export async function updateCustomer(
  tx: EntityManager,
  writer: Writer,
  id: string,
  patch: CustomerPatch,
): Promise<CustomerRow> {
  const { workspaceId } = writer.identity;
  const params: unknown[] = [workspaceId, id];
  const add = (value: unknown) => `$${params.push(value)}`;
  const sets = patchAssignments(writer, patch, add);
  const phonesChange = 'phone' in patch || 'otherPhones' in patch;
  const added = check.externalIds(patch.addExternalIds, 'input.addExternalIds');
  const removed = check.externalIds(patch.removeExternalIds, 'input.removeExternalIds');
  const current = await lockCustomer(tx, writer.identity, id, 'id');
  if (phonesChange) {
    const numbers: { number: string; e164: string }[] = await tx.query(
      `SELECT number, e164 FROM customer_phone WHERE workspace_id = $1 AND customer_id = $2
        ORDER BY position`,
      [workspaceId, id],
    );
    const primary = 'phone' in patch ? patch.phone : numbers[0]?.number;
    const others =
      'otherPhones' in patch ? patch.otherPhones : numbers.slice(1).map((n) => n.number);
    const phones = check.phones(primary, others, 'input');
    await replacePhones(tx, workspaceId, current, phones);
    // Announced when the set of numbers changes (a new primary among the same ones is not).
    const before = new Set(numbers.flatMap((n) => (n.e164 ? [n.e164] : [])));
    const after = phones.map((p) => p.e164);
    if (after.length !== before.size || after.some((e) => !before.has(e))) {
      await appendEvents(tx, [customerPhonesChanged(workspaceId, id, after)]);
    }
  }
  if (removed.length > 0) {
    await tx.query(
      `DELETE FROM customer_external_id x USING unnest($3::text[], $4::text[]) AS r(source, id)
        WHERE x.workspace_id = $1 AND x.customer_id = $2 AND x.source = r.source
          AND x.external_id = r.id`,
      [workspaceId, id, removed.map((x) => x.source), removed.map((x) => x.id)],
    );
  }
  await addExternalIds(tx, writer.identity, id, added, 'input.addExternalIds');
  sets.push('updated_at = now()');
  const [[updated]] = await tx.query(
    `UPDATE customer SET ${sets.join(', ')} WHERE workspace_id = $1 AND id = $2
     RETURNING assigned_staff`,
    params,
  );
  if ('assignedStaff' in patch) {
    await appendEvents(tx, [customerAssigned(workspaceId, id, updated.assigned_staff)]);
  }
  return refreshAndRead(tx, workspaceId, id);
}

/** Locks the caller's customer for a change; NOT_FOUND when it is not theirs to see. */
async function lockCustomer(tx: EntityManager, identity: Identity, id: string, field: string) {
  if (!isUuid(id)) throw badInput(field, `"${id}" is not a customer id`);
  const staff = staffScope(identity);
  const rows = await tx.query(
    `SELECT id FROM customer WHERE workspace_id = $1 AND id = $2
       AND ($3::text IS NULL OR assigned_staff = $3) FOR UPDATE`,
    [identity.workspaceId, id, staff],
  );
  if (rows.length === 0) {
    throw publicError(PublicErrorCode.NOT_FOUND, `no customer ${id}`, { field });
  }
  return id;
}

/**
 * Replaces a customer's phones (position 0 is the primary) and its claims in
 * phone_owner: numbers it no longer has are released; new ones are claimed unless
 * another customer owns them already (that customer stays the number's owner).
 */
async function replacePhones(tx: EntityManager, workspaceId: string, id: string, phones: Phone[]) {
  const e164s = phones.map((p) => p.e164);
  await tx.query('DELETE FROM customer_phone WHERE workspace_id = $1 AND customer_id = $2', [
    workspaceId,
    id,
  ]);
  await tx.query(
    `DELETE FROM phone_owner WHERE workspace_id = $1 AND customer_id = $2
       AND NOT (e164 = ANY($3::text[]))`,
    [workspaceId, id, e164s],
  );
  if (phones.length === 0) return;
  await tx.query(
    `WITH numbers AS (
       INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
       SELECT $1, $2, p.number, p.e164, p.position - 1
         FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS p(number, e164, position)
       RETURNING e164)
     INSERT INTO phone_owner (workspace_id, e164, customer_id)
     SELECT $1, e164, $2 FROM numbers ON CONFLICT (workspace_id, e164) DO NOTHING`,
    [workspaceId, id, phones.map((p) => p.typed), e164s],
  );
}

/**
 * Adds ids on other platforms to a customer. One another customer holds already is
 * refused, and how depends on who asks: a caller who may see that customer learns it
 * is taken (CONFLICT); staff, who may not see every customer, are told only that they
 * cannot add it, without hearing that some other customer holds it.
 */
async function addExternalIds(
  tx: EntityManager,
  identity: Identity,
  id: string,
  ids: check.ExternalIdValue[],
  field: string,
) {
  if (ids.length === 0) return;
  const { workspaceId } = identity;
  const inserted = await tx.query(
    `INSERT INTO customer_external_id (workspace_id, source, external_id, customer_id)
     SELECT $1, x.source, x.id, $2 FROM unnest($3::text[], $4::text[]) AS x(source, id)
     ON CONFLICT DO NOTHING RETURNING source, external_id`,
    [workspaceId, id, ids.map((x) => x.source), ids.map((x) => x.id)],
  );
  if (inserted.length === ids.length) return;
  const holders: { source: string; external_id: string; customer_id: string; staff: string }[] =
    await tx.query(
      `SELECT x.source, x.external_id, x.customer_id, c.assigned_staff AS staff
         FROM customer_external_id x
         JOIN customer c ON c.workspace_id = x.workspace_id AND c.id = x.customer_id
         JOIN unnest($2::text[], $3::text[]) AS r(source, id)
           ON x.source = r.source AND x.external_id = r.id
        WHERE x.workspace_id = $1`,
      [workspaceId, ids.map((x) => x.source), ids.map((x) => x.id)],
    );
  const other = holders.find((h) => h.customer_id !== id);
  if (!other) return; // the customer had them already
  const i = ids.findIndex((x) => x.source === other.source && x.id === other.external_id);
  const staff = staffScope(identity);
  if (staff !== null && other.staff !== staff) {
    throw publicError(
      PublicErrorCode.FORBIDDEN,
      `${ids[i].source} id ${ids[i].id} cannot be added by staff; ask an admin or editor`,
      { field: `${field}[${i}]` },
    );
  }
  throw publicError(
    PublicErrorCode.CONFLICT,
    `${ids[i].source} id ${ids[i].id} belongs to another customer`,
    { field: `${field}[${i}]` },
  );
}

async function refreshAndRead(tx: EntityManager, workspaceId: string, id: string) {
  // An UPDATE … RETURNING comes back from TypeORM as [rows, count].
  const [rows] = (await tx.query(
    `UPDATE customer c SET type = customer_derived_type(c.workspace_id, c.id, c.email, c.has_live_order)
      WHERE c.workspace_id = $1 AND c.id = $2 RETURNING ${CUSTOMER_SELECT}`,
    [workspaceId, id],
  )) as [CustomerRow[], number];
  return rows[0];
}

/** Deletes the caller's customers among `ids` (at most MAX_SYNC_IDS); returns how many. */
export async function deleteCustomersById(
  tx: EntityManager,
  identity: Identity,
  ids: string[],
  field = 'ids',
): Promise<number> {
  if (ids.length > MAX_SYNC_IDS) {
    throw badInput(field, `at most ${MAX_SYNC_IDS} ids at once, got ${ids.length}; use a filter`);
  }
  ids.forEach((id, i) => {
    if (!isUuid(id)) throw badInput(`${field}[${i}]`, `"${id}" is not a customer id`);
  });
  return deleteWhere(tx, identity, 'c.id = ANY($3::uuid[])', [ids]);
}

/** Deletes the customers matching `condition` (over `customer c`), each announced (one outbox statement). */
export async function deleteWhere(
  tx: EntityManager,
  identity: Identity,
  condition: string,
  params: unknown[],
): Promise<number> {
  const staff = staffScope(identity);
  const [deleted] = await tx.query(
    `DELETE FROM customer c WHERE c.workspace_id = $1
       AND ($2::text IS NULL OR c.assigned_staff = $2) AND ${condition}
     RETURNING c.id`,
    [identity.workspaceId, staff, ...params],
  );
  await appendEvents(
    tx,
    (deleted as { id: string }[]).map(({ id }) =>
      customerDeleted(identity.workspaceId, { customerId: id, deletedBy: identity.userId }),
    ),
  );
  return deleted.length;
}
