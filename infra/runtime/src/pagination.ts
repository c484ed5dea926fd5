// Cursor connections (Relay style) for every list. A cursor is opaque to clients:
//   base64url(JSON [sortKey, id])   e.g. ["2026-01-02T03:04:05.000Z", "<uuid>"]
// Lists are ordered by (sortKey DESC, id DESC) and paged by keyset, so a page costs
// the same at row 10 and at row 10 million.
import { badInput } from './errors';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Cursor {
  sortKey: string;
  id: string;
}

export interface Page {
  first: number;
  after: Cursor | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export const MAX_PAGE_SIZE = 100;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sortKey, cursor.id])).toString('base64url');
}

export function decodeCursor(value: string, field = 'after'): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw badInput(field, `"${field}" is not a cursor returned by this list`);
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string'
  ) {
    throw badInput(field, `"${field}" is not a cursor returned by this list`);
  }
  return { sortKey: parsed[0], id: parsed[1] };
}

export function parsePage(args: PageArgs, defaultFirst = 20): Page {
  const first = args.first ?? defaultFirst;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput('first', `"first" must be an integer from 0 to ${MAX_PAGE_SIZE}, got ${first}`);
  }
  return { first, after: args.after ? decodeCursor(args.after) : null };
}

/**
 * Builds a connection from rows fetched with LIMIT first + 1: the extra row only
 * tells whether there is a next page.
 */
export function toConnection<T>(
  rows: T[],
  first: number,
  cursorOf: (row: T) => Cursor,
): Connection<T> {
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(cursorOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
    },
  };
}
