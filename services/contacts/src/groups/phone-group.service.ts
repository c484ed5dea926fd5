// Customer groups from a phone list (seed 001): a seller uploads up to 100,000 numbers
// and every customer having one of them becomes PRIORITY or RESTRICTED. The numbers are
// normalised first (any written form matches), before any transaction opens; the
// update, the remembering and the counts are one statement.
//
// Numbers no customer of the workspace has are remembered (remembered_phone_group),
// so the customer who later gets one is put in the group at once: a trigger on
// customer_phone does it (migrations/1766100000100-RememberedPhones.ts). Decisions:
// - A later upload of a remembered number replaces its group and uploader: the newest
//   upload wins; a customer who gets several remembered numbers at once gets the
//   group of the newest upload among them.
// - A number is forgotten when a customer gets it (it is known now: a later upload
//   marks that customer directly), or by forgetRememberedPhones.
// - Staff mark only their own customers and remember nothing: a remembered number
//   would put whoever gets it in the group, whichever staff member they belong to.
import { staffScope } from '@customer-graph/runtime';
import type { EntityManager } from 'typeorm';
import type { Identity } from '@customer-graph/runtime';
import type { InvalidPhoneRow, ParsedPhoneList } from './phone-list.parse';

/** The invalid rows reported back; the counts cover all of them. */
export const MAX_INVALID_ROWS_SHOWN = 1000;

export interface PhoneGroupResult {
  received: number;
  matched: number;
  unmatched: number;
  remembered: number;
  invalid: number;
  duplicates: number;
  invalidRows: InvalidPhoneRow[];
}

/**
 * Marks the customers having one of the parsed numbers and remembers the numbers no
 * customer has. The list is parsed before (parsePhoneList / normaliseInChunks), so the
 * transaction is held only for the statement itself.
 */
export async function markByPhones(
  tx: EntityManager,
  identity: Identity,
  group: 'PRIORITY' | 'RESTRICTED',
  parsed: ParsedPhoneList,
): Promise<PhoneGroupResult> {
  const staff = staffScope(identity);
  const [{ matched, remembered }] = await tx.query(
    `WITH hit AS (
       SELECT p.e164, p.customer_id FROM customer_phone p
         JOIN customer c ON c.workspace_id = p.workspace_id AND c.id = p.customer_id
        WHERE p.workspace_id = $1 AND p.e164 = ANY($2::text[])
          AND ($3::text IS NULL OR c.assigned_staff = $3)),
     marked AS (
       UPDATE customer c SET customer_group = $4, updated_at = now()
        WHERE c.workspace_id = $1 AND c.id IN (SELECT customer_id FROM hit)
        RETURNING c.id),
     unknown AS (
       SELECT u.e164 FROM unnest($2::text[]) AS u(e164)
        WHERE $3::text IS NULL AND NOT EXISTS (
          SELECT 1 FROM customer_phone p WHERE p.workspace_id = $1 AND p.e164 = u.e164)),
     kept AS (
       INSERT INTO remembered_phone_group (workspace_id, e164, customer_group, uploaded_by)
       SELECT $1, e164, $4, $5 FROM unknown
       ON CONFLICT (workspace_id, e164) DO UPDATE
         SET customer_group = EXCLUDED.customer_group, uploaded_at = now(),
             uploaded_by = EXCLUDED.uploaded_by
       RETURNING 1)
     SELECT (SELECT count(DISTINCT e164) FROM hit)::int AS matched,
            (SELECT count(*) FROM marked)::int AS customers,
            (SELECT count(*) FROM kept)::int AS remembered`,
    [identity.workspaceId, parsed.e164, staff, group, identity.userId],
  );
  return {
    received: parsed.received,
    matched,
    unmatched: parsed.e164.length - matched,
    remembered,
    invalid: parsed.invalid.length,
    duplicates: parsed.duplicates,
    invalidRows: parsed.invalid.slice(0, MAX_INVALID_ROWS_SHOWN),
  };
}
