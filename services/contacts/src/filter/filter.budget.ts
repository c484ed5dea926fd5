// The size budget of one filter, checked by a cheap walk before the compiler reads,
// parses or normalises any value (a phone is parsed with libphonenumber, a name is
// folded): what a filter may cost is bounded by its size, and its size is known
// without doing the work. Saved lists used through `inList` are walked in place, each
// time they are used, as the compiler compiles them.
//
// - nodes: every filter object, field filter, custom field entry and operator;
// - values: the elements of every list operand (`in`, `notIn`, `containsAny`,
//   `containsAll`, `between`) of the whole filter together, so 100 `or` items of
//   1,000 phones each are refused as 100,000 values, not read as 100 small lists;
// - string length: any string operand.
// Refusals are BAD_USER_INPUT naming the part where the budget ran out
// (`filter.or[3].phone.in`), with `limit` and `actual` (the whole filter's figure).
import { PublicErrorCode, publicError } from '@customer-graph/runtime';
import type { CustomerFilterInput } from './filter.types';
import { isRecord } from './filter.values';

export const MAX_FILTER_NODES = 1_000;
export const MAX_FILTER_VALUES = 1_000;
/** As long as the longest stored text (a custom TEXT field), so any value can be matched. */
export const MAX_FILTER_STRING = 2_000;

interface Tally {
  nodes: number;
  values: number;
  /** Where each budget ran out, first time only. */
  nodesAt?: string;
  valuesAt?: string;
}

/** Throws BAD_USER_INPUT when `filter` (with the saved lists it uses) is over budget. */
export function checkFilterBudget(
  filter: CustomerFilterInput | null | undefined,
  root: string,
  lists: ReadonlyMap<string, CustomerFilterInput>,
  maxDepth: number,
): void {
  const tally: Tally = { nodes: 0, values: 0 };
  walkFilter(filter, root, 0, [], tally, lists, maxDepth);
  if (tally.nodesAt) {
    throw overBudget(
      tally.nodesAt,
      'parts (filters, fields and operators)',
      MAX_FILTER_NODES,
      tally.nodes,
    );
  }
  if (tally.valuesAt) {
    throw overBudget(tally.valuesAt, 'list values in all', MAX_FILTER_VALUES, tally.values);
  }
}

function overBudget(at: string, what: string, limit: number, actual: number) {
  return publicError(
    PublicErrorCode.BAD_USER_INPUT,
    `the filter has ${actual} ${what}; at most ${limit} allowed`,
    { field: at, limit, actual },
  );
}

function node(tally: Tally, at: string): void {
  tally.nodes++;
  if (tally.nodes > MAX_FILTER_NODES) tally.nodesAt ??= at;
}

function walkFilter(
  input: unknown,
  at: string,
  depth: number,
  used: readonly string[],
  tally: Tally,
  lists: ReadonlyMap<string, CustomerFilterInput>,
  maxDepth: number,
): void {
  // Anything malformed is left for the compiler to name; the walk only counts.
  if (!isRecord(input)) return;
  if (depth > maxDepth) {
    throw publicError(
      PublicErrorCode.BAD_USER_INPUT,
      `the filter is nested more than ${maxDepth} levels deep`,
      { field: at, limit: maxDepth, actual: depth },
    );
  }
  node(tally, at);
  for (const [key, value] of Object.entries(input)) {
    if (value === null || value === undefined) continue;
    const path = `${at}.${key}`;
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) continue;
      value.forEach((item, i) =>
        walkFilter(item, `${path}[${i}]`, depth + 1, used, tally, lists, maxDepth),
      );
    } else if (key === 'not') {
      walkFilter(value, path, depth + 1, used, tally, lists, maxDepth);
    } else if (key === 'inList') {
      checkString(value, path);
      // A list that includes itself is the compiler's to refuse; here it is not walked twice.
      if (typeof value === 'string' && !used.includes(value)) {
        walkFilter(lists.get(value), path, depth + 1, [...used, value], tally, lists, maxDepth);
      }
    } else if (key === 'custom') {
      if (!Array.isArray(value)) continue;
      value.forEach((entry, i) => walkOperators(entry, `${path}[${i}]`, tally));
    } else {
      walkOperators(value, path, tally);
    }
  }
}

/** A field filter (`{ in: [...], contains: "…" }`), a custom entry or a range. */
function walkOperators(input: unknown, at: string, tally: Tally): void {
  if (!isRecord(input)) return;
  node(tally, at);
  for (const [op, value] of Object.entries(input)) {
    if (value === null || value === undefined) continue;
    const path = `${at}.${op}`;
    node(tally, path);
    if (Array.isArray(value)) {
      tally.values += value.length;
      if (tally.values > MAX_FILTER_VALUES) tally.valuesAt ??= path;
      // Past the budget the request is refused anyway: no need to look further in.
      if (tally.valuesAt === undefined)
        value.forEach((item, i) => checkString(item, `${path}[${i}]`));
    } else if (isRecord(value)) {
      // A range bound: { createdAt, id }.
      for (const [key, part] of Object.entries(value)) checkString(part, `${path}.${key}`);
    } else {
      checkString(value, path);
    }
  }
}

function checkString(value: unknown, at: string): void {
  if (typeof value === 'string' && value.length > MAX_FILTER_STRING) {
    throw publicError(
      PublicErrorCode.BAD_USER_INPUT,
      `the value has ${value.length} characters; at most ${MAX_FILTER_STRING} allowed`,
      { field: at, limit: MAX_FILTER_STRING, actual: value.length },
    );
  }
}
