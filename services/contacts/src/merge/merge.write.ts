// Writing a merge, in the transaction that read and locked its customers:
//   1. each participant moves the merged customers' rows (notes, external ids …);
//   2. phones: the survivor gets the union (its primary first), and the merged
//      customers' claims in phone_owner become the survivor's, so the one-customer-per-
//      phone rule holds (customers/phone-owner.ts: whoever comes with one of those
//      numbers later finds the survivor); a number no one owned is claimed for it;
//   3. the merged customers are deleted (what referred to them has moved);
//   4. the survivor's record takes the planned values and figures, its type derived
//      from the result (customer_derived_type, after phones and external ids moved);
//   5. customer_merge maps the merged ids to the survivor (and re-points ids merged
//      into them before); merge_audit records the merge;
//   6. the survivor is opted out of every channel any of them was (the union of their
//      consent rows, which stay under their ids: consent/consent.refresh.ts).
import type { EntityManager } from 'typeorm';
import type { Identity } from '@customer-graph/runtime';
import { CUSTOMER_SELECT } from '../customers/customer.entity';
import type { CustomerRow } from '../customers/customer.entity';
import { foldSearchText } from '../filter/search-text';
import { MERGE_PARTICIPANTS } from './merge.participants';
import { refreshOptedOut } from '../consent/consent.refresh';
import type { Choice, MergeCustomer, MergePlan } from './merge.types';

async function movePhones(tx: EntityManager, workspaceId: string, plan: MergePlan) {
  const ids = [plan.survivorId, ...plan.mergedIds];
  await tx.query(
    'DELETE FROM customer_phone WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[])',
    [workspaceId, ids],
  );
  await tx.query(
    `INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
     SELECT $1, $2, p.number, p.e164, p.n - 1
       FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS p(number, e164, n)`,
    [
      workspaceId,
      plan.survivorId,
      plan.phones.map((p) => p.number),
      plan.phones.map((p) => p.e164),
    ],
  );
  await tx.query(
    `UPDATE phone_owner SET customer_id = $2
      WHERE workspace_id = $1 AND customer_id = ANY($3::uuid[])`,
    [workspaceId, plan.survivorId, plan.mergedIds],
  );
  await tx.query(
    `INSERT INTO phone_owner (workspace_id, e164, customer_id)
     SELECT $1, e164, $2 FROM unnest($3::text[]) AS e164 WHERE e164 IS NOT NULL
     ON CONFLICT (workspace_id, e164) DO NOTHING`,
    [workspaceId, plan.survivorId, plan.phones.map((p) => p.e164)],
  );
}

async function writeSurvivor(
  tx: EntityManager,
  workspaceId: string,
  plan: MergePlan,
): Promise<CustomerRow> {
  const v = plan.values;
  const f = plan.figures;
  const text = (value: unknown) => (value as string | null) ?? null;
  const [rows] = (await tx.query(
    `UPDATE customer c SET
       name = $3, name_search = $4, email = $5, address = $6, address_search = $7, city = $8,
       city_search = $9, birthday = $10, gender = $11, timezone = $12, avatar_url = $13,
       assigned_staff = $14, customer_group = $15, tags = $16, labels = $17, custom = $18,
       order_count = $19, total_spent = $20, first_order_at = $21, last_order_at = $22,
       has_live_order = $23, updated_at = now(),
       type = customer_derived_type(c.workspace_id, c.id, $5, $23)
     WHERE c.workspace_id = $1 AND c.id = $2 RETURNING ${CUSTOMER_SELECT}`,
    [
      workspaceId,
      plan.survivorId,
      text(v.name),
      foldSearchText(text(v.name) ?? ''),
      text(v.email),
      text(v.address),
      foldSearchText(text(v.address) ?? ''),
      text(v.city),
      foldSearchText(text(v.city) ?? ''),
      v.birthday ?? null,
      v.gender ?? null,
      v.timezone ?? null,
      v.avatarUrl ?? null,
      v.assignedStaff ?? null,
      v.group ?? null,
      v.tags,
      v.labels,
      JSON.stringify(v.custom),
      f.orderCount,
      f.totalSpent,
      f.firstOrderAt,
      f.lastOrderAt,
      f.hasLiveOrder,
    ],
  )) as [CustomerRow[], number];
  return rows[0];
}

/** The merged records as they were, for the audit: nothing they held is lost. */
const snapshot = (merged: MergeCustomer[]) =>
  merged.map((c) => ({
    ...c.row,
    figures: c.figures,
    phones: c.phones,
    externalIds: c.externalIds,
  }));

/** Writes the merge; returns its id, the survivor as it became and what moved. */
export async function writeMerge(
  tx: EntityManager,
  identity: Identity,
  plan: MergePlan,
  merged: MergeCustomer[],
  choices: Choice[],
): Promise<{ id: string; survivor: CustomerRow; moved: Record<string, number> }> {
  const { workspaceId } = identity;
  const moved: Record<string, number> = {};
  for (const p of MERGE_PARTICIPANTS) {
    moved[p.name] = await p.move(tx, workspaceId, plan.survivorId, plan.mergedIds);
  }
  await movePhones(tx, workspaceId, plan);
  await tx.query('DELETE FROM customer WHERE workspace_id = $1 AND id = ANY($2::uuid[])', [
    workspaceId,
    plan.mergedIds,
  ]);
  const survivor = await writeSurvivor(tx, workspaceId, plan);
  const [{ id }] = await tx.query(
    `INSERT INTO merge_audit (workspace_id, survivor_id, merged_ids, merged_by, choices, merged, moved)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      workspaceId,
      plan.survivorId,
      plan.mergedIds,
      identity.userId,
      JSON.stringify(choices),
      JSON.stringify(snapshot(merged)),
      JSON.stringify(moved),
    ],
  );
  await tx.query(
    `UPDATE customer_merge SET survivor_id = $2
      WHERE workspace_id = $1 AND survivor_id = ANY($3::uuid[])`,
    [workspaceId, plan.survivorId, plan.mergedIds],
  );
  await tx.query(
    `INSERT INTO customer_merge (workspace_id, merged_id, survivor_id, merge_id)
     SELECT $1, m.id, $2, $4 FROM unnest($3::uuid[]) AS m(id)`,
    [workspaceId, plan.survivorId, plan.mergedIds, id],
  );
  const optedOut = await refreshOptedOut(tx, [{ workspaceId, customerId: plan.survivorId }]);
  const channels = optedOut.get(survivor.id);
  return { id, survivor: channels ? { ...survivor, optedOutChannels: channels } : survivor, moved };
}
