// Reading the customers of a merge: the records (locked FOR UPDATE for a merge, in id
// order, so two merges sharing customers queue instead of deadlocking), their figures,
// phones and external ids. An id that names no customer is refused before anything is
// written: ALREADY_MERGED when it was merged (contacts keeps the mapping), NOT_FOUND
// otherwise (no such customer, or one of another workspace).
//
// Two merges sharing a customer: the second waits for the first's locks; when the
// first commits, the customers it merged are gone, so the second finds one missing
// and is refused with nothing changed (a customer the first kept is merged as it is
// now).
import type { EntityManager } from 'typeorm';
import { survivorsOf } from '@customer-graph/runtime';
import { CUSTOMER_SELECT } from '../customers/customer.entity';
import type { CustomerRow } from '../customers/customer.entity';
import { MergeErrorCode, mergeError } from './merge.errors';
import type { CheckedMerge } from './merge.input';
import type { MergeCustomer } from './merge.types';

type Row = CustomerRow & {
  orderCount: number;
  totalSpent: string;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  hasLiveOrder: boolean;
};

/** The survivor and the merged customers, in the order given. */
export async function readMerge(
  tx: EntityManager,
  workspaceId: string,
  merge: CheckedMerge,
  lock: boolean,
): Promise<{ survivor: MergeCustomer; merged: MergeCustomer[] }> {
  const ids = [merge.survivorId, ...merge.mergedIds];
  const rows: Row[] = await tx.query(
    `SELECT ${CUSTOMER_SELECT}, c.order_count AS "orderCount", c.total_spent::text AS "totalSpent",
            c.first_order_at AS "firstOrderAt", c.last_order_at AS "lastOrderAt",
            c.has_live_order AS "hasLiveOrder"
       FROM customer c WHERE c.workspace_id = $1 AND c.id = ANY($2::uuid[])
      ORDER BY c.id ${lock ? 'FOR UPDATE' : ''}`,
    [workspaceId, ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0) await refuseMissing(tx, workspaceId, merge, missing);
  const phones: { customer_id: string; number: string; e164: string | null }[] = await tx.query(
    `SELECT customer_id, number, e164 FROM customer_phone
      WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[]) ORDER BY position`,
    [workspaceId, ids],
  );
  const externalIds: { customer_id: string; source: string; external_id: string }[] =
    await tx.query(
      `SELECT customer_id, source, external_id FROM customer_external_id
        WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[]) ORDER BY created_at, source, external_id`,
      [workspaceId, ids],
    );
  const customer = (id: string): MergeCustomer => {
    const { orderCount, totalSpent, firstOrderAt, lastOrderAt, hasLiveOrder, ...row } =
      byId.get(id)!;
    return {
      row,
      figures: { orderCount, totalSpent, firstOrderAt, lastOrderAt, hasLiveOrder },
      phones: phones
        .filter((p) => p.customer_id === id)
        .map((p) => ({ number: p.number, e164: p.e164 })),
      externalIds: externalIds
        .filter((x) => x.customer_id === id)
        .map((x) => ({ source: x.source, externalId: x.external_id })),
    };
  };
  return { survivor: customer(merge.survivorId), merged: merge.mergedIds.map(customer) };
}

async function refuseMissing(
  tx: EntityManager,
  workspaceId: string,
  merge: CheckedMerge,
  missing: string[],
): Promise<never> {
  // A new statement: it sees a merge that committed while this one waited for its locks.
  const merged = await survivorsOf(tx, workspaceId, missing);
  const id = missing[0];
  const field =
    id === merge.survivorId ? 'survivorId' : `mergedIds[${merge.mergedIds.indexOf(id)}]`;
  const into = merged.get(id);
  if (into) {
    throw mergeError(
      MergeErrorCode.ALREADY_MERGED,
      `customer ${id} was merged into ${into} already`,
      { field },
    );
  }
  throw mergeError(MergeErrorCode.UNKNOWN_CUSTOMER, `no customer ${id}`, { field });
}
