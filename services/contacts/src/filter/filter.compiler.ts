// Compiles a customer filter (the GraphQL input, or a saved list's filter read back
// from JSON) to one parameterised PostgreSQL boolean expression over the `customer`
// table, for the customer list, counts, saved lists, splits and bulk jobs. Nothing in
// the input is trusted: every key, operator and value is checked here, and anything
// out of place is BAD_USER_INPUT naming its path (`filter.and[1].name.gt`).
//
// NULL semantics (two-valued logic). Every condition is either true or false for a
// customer, never unknown:
// - A customer with no value fails every positive comparison (eq, in, lt, lte, gt,
//   gte, between, contains, startsWith, containsAny, containsAll) and passes its
//   negation: `neq` compiles to IS DISTINCT FROM, `notIn` to `(x IS NULL OR x <> ALL(…))`,
//   and on phones and external ids "no phone" passes `neq`.
// - `not: F` compiles to `NOT COALESCE(F, FALSE)`, so a customer for whom F is NULL
//   (F's positive comparisons met a missing value) passes `not: F`.
// - Positive comparisons stay plain (`c.city = $1`) so indexes can serve them. They
//   may yield NULL, but NULL behaves as false under AND and OR (NULL AND x is never
//   true, NULL OR x is true only when x is), and NOT is always guarded as above.
// - isEmpty is true for NULL and, on text fields, for ''; `isEmpty: false` means
//   `isNotEmpty: true`.
// - A custom field's stored value of the wrong JSON type (a NUMBER field holding "abc")
//   counts as no value rather than failing the query.
import { badInput, toE164 } from '@customer-graph/runtime';
import type { CustomerFilterInput, FilterContext } from './filter.types';
import { SqlParams } from './sql-params';
import type { Scope } from './filter.ops';
import { compileOperators } from './filter.ops';
import { SYSTEM_FIELDS } from './filter.fields';
import { compileCustom } from './filter.custom';
import { checkFilterBudget } from './filter.budget';
import { isRecord, readDateTime, readString, readUuid, show } from './filter.values';

export const DEFAULT_MAX_DEPTH = 8;
/** Every operator and every nested filter counts as one condition. */
export const MAX_CONDITIONS = 200;

/** The alias is written into the SQL, so it must be a plain identifier. */
const ALIAS = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Compilation {
  scope: Scope;
  ctx: FilterContext;
  maxDepth: number;
}

/** Where a filter object sits: its path, nesting level and the saved lists it is in. */
interface Place {
  at: string;
  depth: number;
  lists: readonly string[];
}

/**
 * The SQL condition for `filter` (TRUE for no filter), with its values appended to
 * `params`. When the filter is refused, `params` is left as it was.
 */
export function compileFilter(
  filter: CustomerFilterInput | null | undefined,
  ctx: FilterContext,
  params: SqlParams,
): string {
  if (!ALIAS.test(ctx.alias)) throw new Error(`invalid SQL alias ${show(ctx.alias)}`);
  const maxDepth = ctx.maxDepth ?? DEFAULT_MAX_DEPTH;
  // Before any value is read: what compiling may cost is bounded by the filter's size.
  checkFilterBudget(filter, ctx.root ?? 'filter', ctx.lists, maxDepth);
  const scratch = new SqlParams(params.values);
  let conditions = 0;
  const scope: Scope = {
    a: ctx.alias,
    param: (value) => scratch.add(value),
    e164: ctx.e164 ?? toE164,
    textSearch: () => ctx.onTextSearch?.(),
    hashedValues: ctx.hashedValues ?? false,
    count: (at) => {
      conditions += 1;
      if (conditions > MAX_CONDITIONS) {
        throw badInput(at, `the filter has more than ${MAX_CONDITIONS} conditions`);
      }
    },
  };
  const c: Compilation = { scope, ctx, maxDepth };
  const sql = compileNode(filter, { at: ctx.root ?? 'filter', depth: 0, lists: [] }, c);
  params.values.push(...scratch.values.slice(params.values.length));
  return sql;
}

/** Joins conditions so the result can be embedded anywhere: one stays as it is. */
function join(conditions: string[], op: 'AND' | 'OR'): string {
  if (conditions.length === 0) return 'TRUE';
  return conditions.length === 1 ? conditions[0] : `(${conditions.join(` ${op} `)})`;
}

function compileNode(input: unknown, place: Place, c: Compilation): string {
  if (input === null || input === undefined) return 'TRUE';
  if (!isRecord(input)) throw badInput(place.at, `${show(input)} is not a filter object`);
  const conditions: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    const at = `${place.at}.${key}`;
    if (!isFilterKey(key)) throw badInput(at, `unknown filter field ${show(key)}`);
    if (value === null || value === undefined) continue;
    conditions.push(...compileKey(key, value, { ...place, at }, c));
  }
  return join(conditions, 'AND');
}

/** The keys of a filter object that are not system fields. */
const OTHER_KEYS = new Set(['and', 'or', 'not', 'inList', 'custom', 'range']);

function isFilterKey(key: string): boolean {
  return OTHER_KEYS.has(key) || SYSTEM_FIELDS.has(key);
}

/** The conditions of one key of a filter object; `place.at` is the key's own path. */
function compileKey(key: string, value: unknown, place: Place, c: Compilation): string[] {
  switch (key) {
    case 'and':
    case 'or':
      return [compileGroup(key, value, place, c)];
    case 'not':
      return [`NOT COALESCE(${compileNode(value, nested(place, place.at, c), c)}, FALSE)`];
    case 'inList':
      return [compileInList(value, place, c)];
    case 'custom':
      return compileCustom(value, place.at, c.scope, c.ctx.customFields);
    case 'range':
      return compileRange(value, place.at, c.scope);
    default: {
      // isFilterKey has vouched for the key.
      const field = SYSTEM_FIELDS.get(key)!;
      return compileOperators(value, place.at, field.operators(c.scope), c.scope, {
        invalid: (op) => `operator ${show(op)} is not valid for ${field.kind} field ${show(key)}`,
        empty: `the filter on ${show(key)} has no operator`,
      });
    }
  }
}

/** One level deeper, at `at`; spends one condition and refuses to go past maxDepth. */
function nested(place: Place, at: string, c: Compilation): Place {
  if (place.depth + 1 > c.maxDepth) {
    throw badInput(at, `the filter is nested more than ${c.maxDepth} levels deep`);
  }
  c.scope.count(at);
  return { at, depth: place.depth + 1, lists: place.lists };
}

/**
 * `and` / `or` over a non-empty list of filters. An empty list is refused rather than
 * read as TRUE or FALSE: it is almost always a client bug, and either reading would
 * silently select everyone or no one.
 */
function compileGroup(op: 'and' | 'or', value: unknown, place: Place, c: Compilation): string {
  if (!Array.isArray(value)) throw badInput(place.at, `${show(value)} is not a list of filters`);
  if (value.length === 0) throw badInput(place.at, `"${op}" needs at least one filter`);
  const conditions = value.map((item, i) =>
    compileNode(item, nested(place, `${place.at}[${i}]`, c), c),
  );
  return join(conditions, op === 'and' ? 'AND' : 'OR');
}

/**
 * A saved list's filter, compiled in place with its errors under `….inList`. A list
 * that includes itself, directly or through other lists, is refused.
 */
function compileInList(value: unknown, place: Place, c: Compilation): string {
  const id = readString(value, place.at);
  if (place.lists.includes(id)) throw badInput(place.at, `saved list ${id} includes itself`);
  if (!c.ctx.lists.has(id)) throw badInput(place.at, `no saved list ${id}`);
  const inner = nested(place, place.at, c);
  const sql = compileNode(c.ctx.lists.get(id), { ...inner, lists: [...place.lists, id] }, c);
  return `(${sql})`;
}

/** `range: { from, to }`: inclusive bounds in (created_at, id) order, as keyset pages use. */
function compileRange(value: unknown, at: string, s: Scope): string[] {
  const key = `(${s.a}.created_at, ${s.a}.id)`;
  const bound =
    (sign: string) =>
    (position: unknown, path: string): string => {
      const [createdAt, id] = readPosition(position, path);
      return `${key} ${sign} (${s.param(createdAt)}::timestamptz, ${s.param(id)}::uuid)`;
    };
  return compileOperators(value, at, { from: bound('>='), to: bound('<=') }, s, {
    invalid: (op) => `${show(op)} is not a bound of a range; use "from" or "to"`,
    empty: 'the range has neither "from" nor "to"',
  });
}

/** A CustomerPosition: the created-at instant (Date or ISO string) and the id. */
function readPosition(value: unknown, at: string): [string, string] {
  if (!isRecord(value)) throw badInput(at, `${show(value)} is not a position`);
  for (const key of Object.keys(value)) {
    if (key !== 'createdAt' && key !== 'id') {
      throw badInput(`${at}.${key}`, `${show(key)} is not part of a position`);
    }
  }
  for (const key of ['createdAt', 'id'] as const) {
    if (value[key] === undefined || value[key] === null) {
      throw badInput(`${at}.${key}`, `a position needs "${key}"`);
    }
  }
  return [readDateTime(value.createdAt, `${at}.createdAt`), readUuid(value.id, `${at}.id`)];
}

/** Deeper than any filter compileFilter accepts, so listIdsIn never misses a used id. */
const LIST_SCAN_DEPTH = 64;

/**
 * Every saved-list id `filter` uses through `inList`, nested ones included, each once.
 * It does not look inside the lists themselves (their filters are not at hand): a
 * caller loads these, then asks again of the loaded filters until nothing is new.
 * Malformed parts are skipped; compileFilter reports them.
 */
export function listIdsIn(filter: CustomerFilterInput | null | undefined): string[] {
  const ids = new Set<string>();
  const visit = (node: unknown, depth: number): void => {
    if (!isRecord(node) || depth > LIST_SCAN_DEPTH) return;
    if (typeof node.inList === 'string') ids.add(node.inList);
    for (const group of [node.and, node.or]) {
      if (Array.isArray(group)) group.forEach((item) => visit(item, depth + 1));
    }
    visit(node.not, depth + 1);
  };
  visit(filter, 0);
  return [...ids];
}

/**
 * Loads every saved list `filter` needs, for FilterContext.lists, following lists that
 * use other lists. `load` gets the ids not asked for yet and returns the filters it
 * found; an id it leaves out is reported by compileFilter as `no saved list …`.
 */
export async function loadSavedLists(
  filter: CustomerFilterInput | null | undefined,
  load: (ids: string[]) => Promise<ReadonlyMap<string, CustomerFilterInput>>,
  maxDepth = DEFAULT_MAX_DEPTH,
): Promise<Map<string, CustomerFilterInput>> {
  const lists = new Map<string, CustomerFilterInput>();
  const asked = new Set<string>();
  let wanted = listIdsIn(filter);
  // A list nested deeper than maxDepth would be refused by compileFilter anyway.
  for (let round = 0; round < maxDepth && wanted.length > 0; round++) {
    wanted.forEach((id) => asked.add(id));
    const found = await load(wanted);
    for (const [id, listFilter] of found) lists.set(id, listFilter);
    wanted = [...found.values()].flatMap(listIdsIn).filter((id) => !asked.has(id));
    wanted = [...new Set(wanted)];
  }
  return lists;
}
