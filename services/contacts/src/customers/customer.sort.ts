// The customer list's sorts: each key an indexed expression (every index leads with
// workspace_id and ends with the id, the unique tie-break), read back from a page's
// last row into its cursor, and the keyset condition that continues after a cursor.
import { badInput } from '@customer-graph/runtime';
import type { Cursor, SortKey } from '@customer-graph/runtime';
import { lastOrderAtKey } from '../filter/filter.orders';
import type { SqlParams } from '../filter/sql-params';
import type { CustomerRow } from './customer.entity';

export type SortField =
  'CREATED_AT' | 'UPDATED_AT' | 'NAME' | 'TOTAL_SPENT' | 'ORDER_COUNT' | 'LAST_ORDER_AT' | 'TIER';
export type SortDirection = 'ASC' | 'DESC';
export interface CustomerSort {
  field: SortField;
  direction?: SortDirection | null;
}

/** A sort with every direction stated (ASC when the client leaves it out). */
export interface CheckedSort {
  field: SortField;
  direction: SortDirection;
}

/** A page's row: the customer and the values its sort keys are read from. */
export type SortedRow = CustomerRow & {
  nameSearch: string;
  orderCount: number;
  /** bigint, as the driver gives it. */
  totalSpent: string;
  lastOrderAt: Date | null;
  tierRank: number;
};

/** What a page selects besides CUSTOMER_SELECT, for SortedRow. */
export const SORT_SELECT = `c.name_search AS "nameSearch", c.order_count AS "orderCount",
  c.total_spent AS "totalSpent", c.last_order_at AS "lastOrderAt",
  c.loyalty_tier_rank AS "tierRank"`;

interface SortColumn {
  /** The indexed expression over `customer c`. */
  sql: string;
  /** The SQL type a cursor's value is cast to. */
  cast: string;
  /** How the cursor codec checks the value ('text': only here, by `fits`). */
  cursor: SortKey['kind'];
  value(row: SortedRow): string;
  fits?(value: string): boolean;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

const SORT_COLUMNS: Record<SortField, SortColumn> = {
  CREATED_AT: {
    sql: 'c.created_at',
    cast: 'timestamptz',
    cursor: 'timestamptz',
    value: (row) => row.createdAt.toISOString(),
  },
  UPDATED_AT: {
    sql: 'c.updated_at',
    cast: 'timestamptz',
    cursor: 'timestamptz',
    value: (row) => row.updatedAt.toISOString(),
  },
  NAME: { sql: 'c.name_search', cast: 'text', cursor: 'text', value: (row) => row.nameSearch },
  TOTAL_SPENT: {
    sql: 'c.total_spent',
    cast: 'bigint',
    cursor: 'text',
    value: (row) => String(row.totalSpent),
    fits: (v) => /^-?\d{1,18}$/.test(v),
  },
  ORDER_COUNT: {
    sql: 'c.order_count',
    cast: 'integer',
    cursor: 'text',
    value: (row) => String(row.orderCount),
    fits: (v) => /^-?\d{1,9}$/.test(v),
  },
  // Customers without orders sort as the oldest (first ascending, last descending).
  LAST_ORDER_AT: {
    sql: lastOrderAtKey('c'),
    cast: 'timestamptz',
    cursor: 'text',
    value: (row) => row.lastOrderAt?.toISOString() ?? '-infinity',
    fits: (v) => v === '-infinity' || (ISO_INSTANT.test(v) && Number.isFinite(Date.parse(v))),
  },
  // By the loyalty tier's rank; customers without a tier (rank 0) come first.
  TIER: {
    sql: 'c.loyalty_tier_rank',
    cast: 'integer',
    cursor: 'text',
    value: (row) => String(row.tierRank),
    fits: (v) => /^\d{1,9}$/.test(v),
  },
};

const DEFAULT_SORT: CheckedSort[] = [{ field: 'CREATED_AT', direction: 'DESC' }];

export function checkSort(sort: CustomerSort[] | null | undefined): CheckedSort[] {
  if (!sort || sort.length === 0) return DEFAULT_SORT;
  const seen = new Set<SortField>();
  sort.forEach((s, i) => {
    if (seen.has(s.field)) throw badInput(`sort[${i}].field`, `${s.field} is sorted on twice`);
    seen.add(s.field);
  });
  return sort.map((s) => ({ field: s.field, direction: s.direction ?? 'ASC' }));
}

/** The sort as the cursor codec names it: "NAME:ASC,CREATED_AT:DESC". */
export function sortKeys(sort: CheckedSort[]): SortKey[] {
  return sort.map((s) => ({
    key: s.field,
    direction: s.direction,
    kind: SORT_COLUMNS[s.field].cursor,
  }));
}

/** A row's value of each sort key, for its cursor. */
export function sortValues(row: SortedRow, sort: CheckedSort[]): string[] {
  return sort.map((s) => SORT_COLUMNS[s.field].value(row));
}

/**
 * Refuses a cursor whose values the codec took as text but the sort's SQL type would
 * not (a tampered one): BAD_USER_INPUT on `after`, as the codec refuses the rest.
 */
export function checkCursor(sort: CheckedSort[], cursor: Cursor): void {
  sort.forEach((s, i) => {
    const fits = SORT_COLUMNS[s.field].fits;
    if (fits && !fits(cursor.keys[i])) {
      throw badInput('after', `"after" is not a cursor returned by ${cursor.list}`);
    }
  });
}

export function orderBy(sort: CheckedSort[]): string {
  const tieDir = sort[sort.length - 1].direction;
  return [...sort.map((s) => `${SORT_COLUMNS[s.field].sql} ${s.direction}`), `c.id ${tieDir}`].join(
    ', ',
  );
}

/**
 * The keyset condition "after this cursor" for any mix of directions:
 * (k1 > v1) OR (k1 = v1 AND k2 > v2) OR … OR (all equal AND id > cursor id), with
 * `<` for descending keys. When every key goes the same way it is one row
 * comparison, which the (workspace_id, key…, id) indexes serve directly.
 */
export function afterCondition(sort: CheckedSort[], cursor: Cursor, params: SqlParams): string {
  const keys = sort.map((s, i) => {
    const { sql, cast } = SORT_COLUMNS[s.field];
    return { sql, value: `${params.add(cursor.keys[i])}::${cast}`, dir: s.direction };
  });
  const tieDir = sort[sort.length - 1].direction;
  keys.push({ sql: 'c.id', value: `${params.add(cursor.id)}::uuid`, dir: tieDir });
  if (keys.every((k) => k.dir === tieDir)) {
    const op = tieDir === 'DESC' ? '<' : '>';
    return `(${keys.map((k) => k.sql).join(', ')}) ${op} (${keys.map((k) => k.value).join(', ')})`;
  }
  const terms = keys.map((key, i) => {
    const equal = keys.slice(0, i).map((k) => `${k.sql} = ${k.value}`);
    const op = key.dir === 'DESC' ? '<' : '>';
    return [...equal, `${key.sql} ${op} ${key.value}`].join(' AND ');
  });
  return `(${terms.map((t) => `(${t})`).join(' OR ')})`;
}
