// Checking a merge's arguments before anything is read: ids, their count, the survivor
// not among the merged, and each choice naming a field that can be chosen and a
// customer of the merge. The customers themselves are checked when read (merge.read.ts).
import { isUuid } from '@customer-graph/runtime';
import type { CustomFieldRow } from '../custom-fields/custom-field.entity';
import type { MutationMergeCustomersArgs } from '../generated/graphql';
import { MergeErrorCode, mergeError } from './merge.errors';
import { SYSTEM_FIELDS } from './merge.types';
import type { Choice } from './merge.types';

/** The most customers one merge takes into a survivor. */
export const MAX_MERGED = 9;

export interface CheckedMerge {
  survivorId: string;
  mergedIds: string[];
  choices: Choice[];
  dryRun: boolean;
}

/** Ids as Postgres returns them (lower case), so they compare with rows. */
function id(value: string, field: string): string {
  if (!isUuid(value)) {
    throw mergeError(MergeErrorCode.BAD_ID, `"${value}" is not a customer id`, { field });
  }
  return value.toLowerCase();
}

export function checkMergeArgs(
  args: MutationMergeCustomersArgs,
  customFields: ReadonlyMap<string, CustomFieldRow>,
): CheckedMerge {
  const survivorId = id(args.survivorId, 'survivorId');
  if (args.mergedIds.length < 1 || args.mergedIds.length > MAX_MERGED) {
    throw mergeError(
      MergeErrorCode.BAD_COUNT,
      `a merge takes 1 to ${MAX_MERGED} customers into the survivor, got ${args.mergedIds.length}`,
      { field: 'mergedIds', limit: MAX_MERGED, actual: args.mergedIds.length },
    );
  }
  const mergedIds: string[] = [];
  for (const [i, value] of args.mergedIds.entries()) {
    const field = `mergedIds[${i}]`;
    const merged = id(value, field);
    if (merged === survivorId) {
      throw mergeError(
        MergeErrorCode.SURVIVOR_MERGED,
        `${merged} is the survivor: it cannot also be merged`,
        { field },
      );
    }
    if (mergedIds.includes(merged)) {
      throw mergeError(MergeErrorCode.BAD_ID, `${merged} is given twice`, { field });
    }
    mergedIds.push(merged);
  }
  const members = new Set([survivorId, ...mergedIds]);
  const choices: Choice[] = [];
  for (const [i, choice] of (args.choices ?? []).entries()) {
    const { field } = choice;
    const custom = field.startsWith('custom.') ? field.slice('custom.'.length) : null;
    const known =
      custom !== null
        ? customFields.has(custom)
        : (SYSTEM_FIELDS as readonly string[]).includes(field);
    if (!known) {
      throw mergeError(
        MergeErrorCode.BAD_CHOICE,
        `"${field}" is not a field a merge chooses: one of ${SYSTEM_FIELDS.join(', ')}, or custom.<key> of a custom field`,
        { field: `choices[${i}].field` },
      );
    }
    if (choices.some((c) => c.field === field)) {
      throw mergeError(MergeErrorCode.BAD_CHOICE, `"${field}" is chosen twice`, {
        field: `choices[${i}].field`,
      });
    }
    const from = isUuid(choice.from) ? choice.from.toLowerCase() : null;
    if (from === null || !members.has(from)) {
      throw mergeError(
        MergeErrorCode.BAD_CHOICE,
        `"${choice.from}" is neither the survivor nor a customer being merged`,
        { field: `choices[${i}].from` },
      );
    }
    choices.push({ field, from });
  }
  return { survivorId, mergedIds, choices, dryRun: args.dryRun ?? false };
}
