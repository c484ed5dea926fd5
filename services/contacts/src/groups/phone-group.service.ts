// Customer groups from a phone list (seed 001): a seller uploads up to 100,000 numbers
// and every customer having one of them becomes PRIORITY or RESTRICTED. The numbers are
// normalised first (any written form matches), before any transaction opens; the
// update and the counts are one statement.
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
  invalid: number;
  duplicates: number;
  invalidRows: InvalidPhoneRow[];
}

/**
 * Marks the customers having one of the parsed numbers. The list is parsed before
 * (parsePhoneList / normaliseInChunks), so the transaction is held only for the
 * statement itself.
 */
export async function markByPhones(
  tx: EntityManager,
  identity: Identity,
  group: 'PRIORITY' | 'RESTRICTED',
  parsed: ParsedPhoneList,
): Promise<PhoneGroupResult> {
  const staff = staffScope(identity);
  const [{ matched }] = await tx.query(
    `WITH hit AS (
       SELECT p.e164, p.customer_id FROM customer_phone p
         JOIN customer c ON c.workspace_id = p.workspace_id AND c.id = p.customer_id
        WHERE p.workspace_id = $1 AND p.e164 = ANY($2::text[])
          AND ($3::text IS NULL OR c.assigned_staff = $3)),
     marked AS (
       UPDATE customer c SET customer_group = $4, updated_at = now()
        WHERE c.workspace_id = $1 AND c.id IN (SELECT customer_id FROM hit)
        RETURNING c.id)
     SELECT (SELECT count(DISTINCT e164) FROM hit)::int AS matched,
            (SELECT count(*) FROM marked)::int AS customers`,
    [identity.workspaceId, parsed.e164, staff, group],
  );
  return {
    received: parsed.received,
    matched,
    unmatched: parsed.e164.length - matched,
    invalid: parsed.invalid.length,
    duplicates: parsed.duplicates,
    invalidRows: parsed.invalid.slice(0, MAX_INVALID_ROWS_SHOWN),
  };
}
