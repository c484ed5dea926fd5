// mergeCustomers: duplicate customers into one (seed 003, docs/merge.md). One
// transaction: the arguments checked, the customers read (and, for a merge, locked),
// the result planned field by field, then — unless it is a dry run — written
// (merge.write.ts) and announced through the outbox in the same transaction:
// contacts.customer.merged once, then the survivor's contacts.customer.phones-changed
// when its set of numbers grew and contacts.customer.assigned when its staff member
// changed. Every refusal comes before the first write, or rolls it back: nothing
// changes.
import type { DataSource } from 'typeorm';
import { AuditAction, appendEvents, recordAudit } from '@customer-graph/runtime';
import type { AnyEvent, Identity } from '@customer-graph/runtime';
import type { CustomFieldRow } from '../custom-fields/custom-field.entity';
import { customerAssigned, customerPhonesChanged } from '../customers/customer.events';
import type { MutationMergeCustomersArgs } from '../generated/graphql';
import { customerMerged } from './merge.events';
import { checkMergeArgs } from './merge.input';
import { countMoves } from './merge.participants';
import { planMerge } from './merge.plan';
import { readMerge } from './merge.read';
import type { MergeCustomer, MergeOutcome, MergePlan } from './merge.types';
import { writeMerge } from './merge.write';

/** The survivor's events besides the merge's own: only what changed for it. */
function survivorEvents(workspaceId: string, before: MergeCustomer, plan: MergePlan): AnyEvent[] {
  const events: AnyEvent[] = [];
  const had = new Set(before.phones.flatMap((p) => (p.e164 ? [p.e164] : [])));
  const has = plan.phones.flatMap((p) => (p.e164 ? [p.e164] : []));
  if (has.length !== had.size || has.some((e) => !had.has(e))) {
    events.push(customerPhonesChanged(workspaceId, plan.survivorId, has));
  }
  const staff = (plan.values.assignedStaff as string | null) ?? null;
  if (staff !== before.row.assignedStaff) {
    events.push(customerAssigned(workspaceId, plan.survivorId, staff));
  }
  return events;
}

export async function mergeCustomers(
  db: DataSource,
  identity: Identity,
  customFields: ReadonlyMap<string, CustomFieldRow>,
  args: MutationMergeCustomersArgs,
): Promise<MergeOutcome> {
  const merge = checkMergeArgs(args, customFields);
  const { workspaceId } = identity;
  return db.transaction(async (tx) => {
    const { survivor, merged } = await readMerge(tx, workspaceId, merge, !merge.dryRun);
    const plan = planMerge(survivor, merged, merge.choices);
    const moves = await countMoves(tx, workspaceId, merge.mergedIds);
    const outcome = {
      mergedIds: merge.mergedIds,
      fields: plan.fields,
      phones: plan.phones,
      items: plan.items,
      discarded: plan.discarded,
      moves,
    };
    if (merge.dryRun) {
      return {
        ...outcome,
        id: null,
        dryRun: true,
        survivor: survivor.row,
        mergedCustomers: merged.map((c) => c.row),
      };
    }
    const written = await writeMerge(tx, identity, plan, merged, merge.choices);
    await appendEvents(tx, [
      customerMerged(workspaceId, {
        mergeId: written.id,
        survivorId: plan.survivorId,
        mergedIds: plan.mergedIds,
        mergedBy: identity.userId,
      }),
      ...survivorEvents(workspaceId, survivor, plan),
    ]);
    await recordAudit(tx, identity, {
      action: AuditAction.CUSTOMERS_MERGED,
      targetType: 'Customer',
      targetIds: [plan.survivorId, ...plan.mergedIds],
      detail: { mergeId: written.id, merged: plan.mergedIds.length },
    });
    return {
      ...outcome,
      id: written.id,
      dryRun: false,
      survivor: written.survivor,
      mergedCustomers: [],
    };
  });
}
