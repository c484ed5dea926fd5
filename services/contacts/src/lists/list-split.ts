// Splitting a saved list for campaigns: a seller cuts a list of T customers (ordered by
// (createdAt, id)) into N contiguous groups, e.g. for A/B tests or to message one group a
// day. The groups are computed from the count alone, so the caller only fetches the
// customers at the group boundaries and then each group is a keyset range.
//
// Sizes differ by at most one and the larger groups come first: 10 into 3 is 4, 3, 3
// (rows 1–4, 5–7, 8–10). Every group is returned, even when total < parts:
// an empty group has size 0, firstRow = the next row (one past the previous group's
// lastRow) and lastRow = firstRow - 1, so `size === 0` (or lastRow < firstRow) tells it
// apart and firstRow/lastRow stay contiguous with the other groups.
import { badInput } from '@customer-graph/runtime';

export const MAX_SPLIT_PARTS = 100;

export interface SplitPart {
  /** 1-based. */
  part: number;
  size: number;
  /** 1-based row number of the group's first customer (for an empty group: the next row). */
  firstRow: number;
  /** 1-based row number of the group's last customer (firstRow - 1 for an empty group). */
  lastRow: number;
}

/** The `parts` groups of a list of `total` customers, in list order. */
export function splitSizes(total: number, parts: number): SplitPart[] {
  if (!Number.isInteger(parts) || parts < 2 || parts > MAX_SPLIT_PARTS) {
    throw badInput('parts', `must be a whole number from 2 to ${MAX_SPLIT_PARTS}`);
  }
  if (!Number.isSafeInteger(total) || total < 0) {
    throw badInput('total', 'must be a whole number, 0 or more');
  }
  const base = Math.floor(total / parts);
  const larger = total % parts;
  const split: SplitPart[] = [];
  let nextRow = 1;
  for (let part = 1; part <= parts; part++) {
    const size = part <= larger ? base + 1 : base;
    split.push({ part, size, firstRow: nextRow, lastRow: nextRow + size - 1 });
    nextRow += size;
  }
  return split;
}

/** The sorted distinct row numbers to fetch: each non-empty group's first and last row. */
export function boundaryRows(parts: SplitPart[]): number[] {
  const rows = new Set<number>();
  for (const { size, firstRow, lastRow } of parts) {
    if (size > 0) rows.add(firstRow).add(lastRow);
  }
  return [...rows].sort((a, b) => a - b);
}
