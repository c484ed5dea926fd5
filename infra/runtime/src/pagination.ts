// Cursor connections (Relay style) for every list: the customer list and every tab.
//
// Cursor wire format, opaque to clients:
//   base64url(JSON { list: "<Type.field>", sort: "<signature>", keys: ["<value>"…], id: "<uuid>" })
//   e.g. { "list": "Customer.orders", "sort": "ordered_at:DESC",
//          "keys": ["2026-01-02T03:04:05.000Z"], "id": "0b0d…" }
// The signature names each sort key and its direction ("NAME:ASC,CREATED_AT:DESC");
// `keys` holds the last row's value of each, and the id breaks ties. A cursor fits
// only the list and the sort that made it: any other is BAD_USER_INPUT on `after`.
// Lists are paged by keyset, never OFFSET, so a page costs the same at row 10 and at
// row 10 million.
//
// Page sizes are stated once, in the SDL: the `first` argument's default
// (`first: Int = 20`) and the list's cap in the cost directive the gateway reads too
// (`@listSize(assumedSize: 250, slicingArguments: ["first"])`). `pageOf` reads both
// from the resolver's field definition; no service code repeats a figure.
import { Kind, isObjectType } from 'graphql';
import type {
  GraphQLField,
  GraphQLObjectType,
  GraphQLResolveInfo,
  GraphQLSchema,
  SelectionSetNode,
} from 'graphql';
import { badInput } from './errors';
import { isUuid } from './ids';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** One key a list is ordered by; the row id always follows as the tie-break. */
export interface SortKey {
  /** The key's name in the signature (a column, or a sort enum value). */
  key: string;
  direction: 'ASC' | 'DESC';
  /** What a cursor's value must be: checked when decoding, cast in SQL. */
  kind: 'timestamptz' | 'text';
}

export interface Cursor {
  /** The field the cursor was made by, e.g. `Customer.orders`. */
  list: string;
  /** The sort signature, e.g. `ordered_at:DESC`. */
  sort: string;
  /** The last row's value of each sort key, in order. */
  keys: string[];
  id: string;
}

export interface Page {
  /** The paged field (`Type.field`); its cursors fit only it. */
  list: string;
  sort: readonly SortKey[];
  first: number;
  after: Cursor | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Newest first on one timestamp column, the id breaking ties: what every tab uses. */
export function newestFirst(column: string): readonly SortKey[] {
  return [{ key: column, direction: 'DESC', kind: 'timestamptz' }];
}

export function sortSignature(sort: readonly SortKey[]): string {
  return sort.map((s) => `${s.key}:${s.direction}`).join(',');
}

export function encodeCursor(cursor: Cursor): string {
  const { list, sort, keys, id } = cursor;
  return Buffer.from(JSON.stringify({ list, sort, keys, id })).toString('base64url');
}

// What toISOString writes; Postgres casts it to timestamptz without surprise.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

function valueFits(value: unknown, kind: SortKey['kind']): boolean {
  if (typeof value !== 'string') return false;
  return kind === 'text' || (ISO_INSTANT.test(value) && Number.isFinite(Date.parse(value)));
}

/**
 * Reads a client's `after` for a list in a sort. Anything but a cursor this list made
 * in this sort (garbage, tampered, another list's, another sort's) is BAD_USER_INPUT
 * naming the argument.
 */
export function decodeCursor(
  value: string,
  list: string,
  sort: readonly SortKey[],
  field = 'after',
): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
  }
  const c = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Partial<Cursor>;
  const shaped =
    typeof c.list === 'string' &&
    typeof c.sort === 'string' &&
    Array.isArray(c.keys) &&
    typeof c.id === 'string' &&
    isUuid(c.id);
  if (!shaped) throw badInput(field, `"${field}" is not a cursor returned by ${list}`);
  if (c.list !== list) {
    throw badInput(field, `"${field}" is a cursor of ${c.list}, not of ${list}`);
  }
  const signature = sortSignature(sort);
  if (c.sort !== signature) {
    throw badInput(
      field,
      `"${field}" is a cursor of ${list} sorted by ${c.sort}, not by ${signature}`,
    );
  }
  const keys = c.keys as unknown[];
  if (keys.length !== sort.length || !keys.every((k, i) => valueFits(k, sort[i].kind))) {
    throw badInput(field, `"${field}" is not a cursor returned by ${list}`);
  }
  return { list, sort: signature, keys: keys as string[], id: c.id as string };
}

/** Where a resolver's field is: what `pageOf` needs of GraphQLResolveInfo. */
export type PagedField = Pick<GraphQLResolveInfo, 'parentType' | 'fieldName'>;

interface PageLimits {
  list: string;
  defaultFirst: number;
  cap: number;
}

const limitsByField = new WeakMap<GraphQLField<unknown, unknown>, PageLimits>();

/**
 * A paged field's default page size and cap, as its SDL states them: the `first`
 * argument's default and `@listSize(assumedSize:)` with `first` among its slicing
 * arguments. A field without them is a programming error, thrown at first use (and
 * the schema test checks every `first` of every subgraph up front).
 */
export function pageLimits(type: GraphQLObjectType, fieldName: string): PageLimits {
  const field = type.getFields()[fieldName];
  const list = `${type.name}.${fieldName}`;
  if (!field) throw new Error(`${list} is not a field of the schema`);
  const cached = limitsByField.get(field);
  if (cached) return cached;
  const first = field.args.find((a) => a.name === 'first');
  if (!first || typeof first.defaultValue !== 'number') {
    throw new Error(`${list} is paged but its SDL gives \`first\` no default (first: Int = 20)`);
  }
  // Imported as @listSize in every subgraph SDL; unimported it is @federation__listSize.
  const listSize = field.astNode?.directives?.find(
    (d) => d.name.value === 'listSize' || d.name.value.endsWith('__listSize'),
  );
  const arg = (name: string) => listSize?.arguments?.find((a) => a.name.value === name)?.value;
  const assumed = arg('assumedSize');
  const slicing = arg('slicingArguments');
  const slicedByFirst =
    slicing?.kind === Kind.LIST &&
    slicing.values.some((v) => v.kind === Kind.STRING && v.value === 'first');
  if (assumed?.kind !== Kind.INT || !slicedByFirst) {
    throw new Error(
      `${list} is paged but its SDL states no cap: add ` +
        '@listSize(assumedSize: <cap>, slicingArguments: ["first"]) to the field',
    );
  }
  const limits = { list, defaultFirst: first.defaultValue, cap: Number(assumed.value) };
  if (limits.defaultFirst < 0 || limits.defaultFirst > limits.cap) {
    throw new Error(`${list}: the default \`first\` (${limits.defaultFirst}) is over its cap`);
  }
  limitsByField.set(field, limits);
  return limits;
}

/**
 * Every paged field of a schema (a field with a `first` argument) and what its SDL
 * lacks for `pageOf`: a test runs this on each subgraph, so a missing default or cap
 * fails CI instead of the first request.
 */
export function pagedFields(schema: GraphQLSchema): { checked: string[]; problems: string[] } {
  const checked: string[] = [];
  const problems: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.args.some((a) => a.name === 'first')) continue;
      checked.push(`${type.name}.${field.name}`);
      try {
        pageLimits(type, field.name);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  return { checked, problems };
}

/**
 * The page a resolver is asked for: `first` (its SDL default when absent or null; at
 * most the field's @listSize cap) and `after`, decoded for this list in this sort.
 */
export function pageOf(args: PageArgs, info: PagedField, sort: readonly SortKey[]): Page {
  const { list, defaultFirst, cap } = pageLimits(info.parentType, info.fieldName);
  const first = args.first ?? defaultFirst;
  if (!Number.isInteger(first) || first < 0 || first > cap) {
    throw badInput('first', `"first" must be an integer from 0 to ${cap}, got ${first}`);
  }
  const after = args.after ? decodeCursor(args.after, list, sort) : null;
  return { list, sort, first, after };
}

/**
 * Builds a connection from rows fetched with LIMIT first + 1: the extra row only
 * tells whether there is a next page. `keysOf` gives a row's value of each sort key.
 */
export function toConnection<T extends { id: string }>(
  rows: T[],
  page: Page,
  keysOf: (row: T) => string[],
): Connection<T> {
  const sort = sortSignature(page.sort);
  const nodes = rows.slice(0, page.first);
  const edges = nodes.map((node) => ({
    cursor: encodeCursor({ list: page.list, sort, keys: keysOf(node), id: node.id }),
    node,
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > page.first,
      endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
    },
  };
}

/**
 * Whether the field being resolved selects `name` among its own fields (directly, in
 * an inline fragment or a named one): a list resolver starts its count together with
 * its page when `totalCount` is asked for, two statements at once instead of one after
 * the other.
 */
export function selectsField(
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>,
  name: string,
) {
  const within = (set: SelectionSetNode | undefined, seen: Set<string>): boolean =>
    !!set?.selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === name;
      if (s.kind === Kind.INLINE_FRAGMENT) return within(s.selectionSet, seen);
      const fragment = info.fragments[s.name.value];
      if (!fragment || seen.has(s.name.value)) return false;
      return within(fragment.selectionSet, new Set([...seen, s.name.value]));
    });
  return info.fieldNodes.some((node) => within(node.selectionSet, new Set()));
}
