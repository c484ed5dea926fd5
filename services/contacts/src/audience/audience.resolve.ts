// A campaign's audience, computed: the customers of a saved list or a filter (compiled
// by the list language with a client's limits), cut into groups as splitList cuts a
// list (list-split.ts: contiguous in (createdAt, id) order, larger groups first), one
// group kept when a part is asked for, then the customers left out — each counted once,
// for the first reason in this order: RESTRICTED, opted out of the channel, no address
// for it.
//
// One snapshot: every member, its group, its exclusions and its address are read by
// ONE statement, which sees one snapshot of the database — what a REPEATABLE READ
// transaction would give. (The consumer's transaction has already written its inbox
// row, so its isolation can no longer be raised; one statement needs none.) Only the
// saved lists' filters and the custom fields are read before, to compile.
import type { EntityManager } from 'typeorm';
import { GraphQLError } from 'graphql';
import { PublicErrorCode } from '@customer-graph/runtime';
import type { AudienceRequestedPayload } from '@customer-graph/runtime';
import { compileWhere } from '../customers/customer.list';
import type { CompiledWhere } from '../customers/customer.list';
import type { CustomerFilterInput } from '../filter/filter.types';
import { splitSizes } from '../lists/list-split';
import type { MarketingChannel } from '../consent/consent.channels';
import { AudienceRefusal, refusal } from './audience.errors';

export interface AudienceMember {
  customerId: string;
  address: string;
  part: number | null;
}

export interface Excluded {
  restricted: number;
  optedOut: number;
  noAddress: number;
}

export type Audience = { members: AudienceMember[]; excluded: Excluded } | { refused: string };

/**
 * The address each channel needs, over `customer c`: the first phone (lowest position)
 * that has an E.164 form; the email; the Zalo user id (the earliest, should a customer
 * have several); none for FACEBOOK, which contacts does not know.
 */
const ADDRESS: Record<MarketingChannel, string> = {
  SMS: 'phone',
  ZNS: 'phone',
  EMAIL: `NULLIF(btrim(c.email), '')`,
  ZALO_OA: 'zalo',
  ZALO_BULK: 'zalo',
  FACEBOOK: 'NULL::text',
};
const PHONE = `(SELECT p.e164 FROM customer_phone p
   WHERE p.workspace_id = c.workspace_id AND p.customer_id = c.id AND p.e164 IS NOT NULL
   ORDER BY p.position LIMIT 1)`;
const ZALO = `(SELECT x.external_id FROM customer_external_id x
   WHERE x.workspace_id = c.workspace_id AND x.customer_id = c.id AND x.source = 'ZALO'
   ORDER BY x.created_at, x.external_id LIMIT 1)`;

function addressSql(channel: MarketingChannel): string {
  const a = ADDRESS[channel];
  return a === 'phone' ? PHONE : a === 'zalo' ? ZALO : a;
}

/** The refusal of a request's shape, or null when it is well formed. */
function checkShape(audience: AudienceRequestedPayload['audience']): string | null {
  const { listId, filter, splitParts, part } = audience;
  if ((listId == null) === (filter == null)) {
    return refusal(AudienceRefusal.BAD_AUDIENCE, 'give exactly one of listId and filter');
  }
  if (part != null && (splitParts == null || part > splitParts)) {
    return refusal(AudienceRefusal.BAD_AUDIENCE, 'part needs splitParts and is at most it');
  }
  return null;
}

/** The list language's refusal of the filter (BAD_USER_INPUT, or a list it cannot find). */
function refusalOf(error: unknown, listId: string | null | undefined): string | null {
  if (!(error instanceof GraphQLError)) return null;
  const code = error.extensions.code;
  if (code !== PublicErrorCode.BAD_USER_INPUT && code !== PublicErrorCode.NOT_FOUND) return null;
  if (listId != null && error.extensions.field === 'audience.inList') {
    return refusal(AudienceRefusal.UNKNOWN_LIST, `no saved list ${listId}`);
  }
  const at = typeof error.extensions.field === 'string' ? `${error.extensions.field}: ` : '';
  return refusal(AudienceRefusal.BAD_FILTER, `${at}${error.message}`);
}

export async function resolveAudience(
  tx: EntityManager,
  workspaceId: string,
  request: AudienceRequestedPayload,
): Promise<Audience> {
  const { audience, channel } = request;
  const shape = checkShape(audience);
  if (shape) return { refused: shape };
  // A list is `inList`, so a list naming lists, and every limit, is the language's.
  const filter = (
    audience.listId != null ? { inList: audience.listId } : audience.filter
  ) as CustomerFilterInput;
  let where: CompiledWhere;
  try {
    // Workspace-wide: a campaign is the workspace's, not one staff member's.
    where = await compileWhere(tx, { workspaceId, staffUserId: null }, filter, 'audience');
  } catch (error) {
    const refused = refusalOf(error, audience.listId);
    if (refused) return { refused };
    throw error;
  }
  const params = [...where.params.values, channel];
  const rows: { id: string; restricted: boolean; opted_out: boolean; address: string | null }[] =
    await tx.query(
      `SELECT c.id, c.customer_group IS NOT DISTINCT FROM 'RESTRICTED' AS restricted,
              $${params.length}::text = ANY(c.opted_out_channels) AS opted_out,
              ${addressSql(channel)} AS address
         FROM customer c WHERE ${where.sql}
        ORDER BY c.created_at, c.id`,
      params,
    );
  const parts = audience.splitParts ?? null;
  const partOf: (number | null)[] = new Array(rows.length).fill(null);
  if (parts !== null) {
    for (const p of splitSizes(rows.length, parts)) {
      for (let row = p.firstRow; row <= p.lastRow; row++) partOf[row - 1] = p.part;
    }
  }
  const members: AudienceMember[] = [];
  const excluded: Excluded = { restricted: 0, optedOut: 0, noAddress: 0 };
  rows.forEach((row, i) => {
    if (audience.part != null && partOf[i] !== audience.part) return;
    if (row.restricted) excluded.restricted++;
    else if (row.opted_out) excluded.optedOut++;
    else if (!row.address) excluded.noAddress++;
    else members.push({ customerId: row.id, address: row.address, part: partOf[i] });
  });
  return { members, excluded };
}
