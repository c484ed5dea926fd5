// A bulk action (tag, untag, assign staff, set group) as one SQL UPDATE over the
// chosen customers. Used by the synchronous call (up to MAX_SYNC_IDS ids) and by
// every batch of a background job, so both apply exactly the same change.
import type { EntityManager } from 'typeorm';
import { appendEvents, badInput } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import type { CustomerBulkAction } from '../generated/graphql';
import * as check from '../customers/customer.input';
import { customerAssigned } from '../customers/customer.events';

export interface BulkAction {
  addTags: string[];
  removeTags: string[];
  /** undefined: unchanged; null: unassign. */
  assignStaff?: string | null;
  /** undefined: unchanged; null: no group. */
  setGroup?: 'PRIORITY' | 'RESTRICTED' | null;
}

/** Checks an action as given (input `field`); at least one change, none contradicting another. */
export function checkAction(
  identity: Identity,
  input: CustomerBulkAction,
  field = 'action',
): BulkAction {
  const action: BulkAction = {
    addTags: check.labels(input.addTags, `${field}.addTags`, check.MAX_TAGS),
    removeTags: check.labels(input.removeTags, `${field}.removeTags`, check.MAX_TAGS),
  };
  const both = action.addTags.find((t) => action.removeTags.includes(t));
  if (both) throw badInput(`${field}.removeTags`, `"${both}" is both added and removed`);
  if (input.assignStaff != null && input.unassignStaff) {
    throw badInput(`${field}.unassignStaff`, 'assignStaff and unassignStaff contradict');
  }
  if (input.assignStaff != null) {
    action.assignStaff = check.userId(input.assignStaff, `${field}.assignStaff`);
  } else if (input.unassignStaff) {
    action.assignStaff = null;
  }
  if (action.assignStaff !== undefined && identity.role === 'staff') {
    throw badInput(`${field}.assignStaff`, 'staff cannot reassign customers');
  }
  if (input.setGroup != null && input.clearGroup) {
    throw badInput(`${field}.clearGroup`, 'setGroup and clearGroup contradict');
  }
  if (input.setGroup != null) action.setGroup = input.setGroup;
  else if (input.clearGroup) action.setGroup = null;
  const changes =
    action.addTags.length + action.removeTags.length > 0 ||
    action.assignStaff !== undefined ||
    action.setGroup !== undefined;
  if (!changes) throw badInput(field, 'the action changes nothing');
  return action;
}

/** The action as SQL assignments on `customer c`, parameters added through `add`. */
function assignments(action: BulkAction, add: (value: unknown) => string): string[] {
  const sets = ['updated_at = now()'];
  if (action.addTags.length + action.removeTags.length > 0) {
    sets.push(`tags = ${newTags(action, add)}`);
  }
  if (action.assignStaff !== undefined) sets.push(`assigned_staff = ${add(action.assignStaff)}`);
  if (action.setGroup !== undefined) sets.push(`customer_group = ${add(action.setGroup)}`);
  return sets;
}

/** Tags after the action: removals first, then additions not there yet, order kept. */
function newTags(action: BulkAction, add: (value: unknown) => string): string {
  const kept = `ARRAY(SELECT t FROM unnest(c.tags) AS t WHERE NOT (t = ANY(${add(action.removeTags)}::text[])))`;
  const added = add(action.addTags);
  return `(${kept} || ARRAY(SELECT t FROM unnest(${added}::text[]) AS t WHERE NOT (t = ANY(c.tags))))`;
}

export interface Applied {
  /** Customers changed. */
  updated: string[];
  /** Customers left alone because the change would break a limit (over MAX_TAGS tags). */
  skipped: string[];
}

/**
 * Applies the action to the customers of `customer c` matching `condition` (which
 * uses parameters `params`, numbered from $1). Customers that would end up with
 * more than MAX_TAGS tags are left alone and reported as skipped.
 */
export async function applyAction(
  tx: EntityManager,
  workspaceId: string,
  action: BulkAction,
  condition: string,
  params: unknown[],
): Promise<Applied> {
  const values = [...params];
  const add = (value: unknown) => `$${values.push(value)}`;
  const sets = assignments(action, add);
  const fits =
    action.addTags.length > 0
      ? `cardinality(${newTags(action, add)}) <= ${check.MAX_TAGS}`
      : 'TRUE';
  const rows: { id: string; fits: boolean }[] = await tx.query(
    `WITH chosen AS (
       SELECT c.id, ${fits} AS fits FROM customer c WHERE ${condition} FOR UPDATE),
     changed AS (
       UPDATE customer c SET ${sets.join(', ')}
         FROM chosen WHERE c.id = chosen.id AND chosen.fits RETURNING c.id)
     SELECT chosen.id, chosen.fits FROM chosen`,
    values,
  );
  const updated = rows.filter((r) => r.fits).map((r) => r.id);
  // A reassignment is announced, so other subgraphs scope staff to it.
  const assignedStaff = action.assignStaff;
  if (assignedStaff !== undefined) {
    await appendEvents(
      tx,
      updated.map((id) => customerAssigned(workspaceId, id, assignedStaff)),
    );
  }
  return { updated, skipped: rows.filter((r) => !r.fits).map((r) => r.id) };
}
