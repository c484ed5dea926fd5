// The Orders tab of many customers (`Customer.orders`): one prepared statement per
// distinct page, filter and selection, reading raw rows — no TypeORM hydration — and
// only the columns of the Order fields the request selects (the list page asks for 6
// of 22; the items, the buyer and five timestamps were most of the parsing and garbage
// of a page, bench:page). Cursors are encoded only when a client asks for one.
import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { Kind } from 'graphql';
import type { DataSource } from 'typeorm';
import type { Connection, Page } from '@customer-graph/runtime';
import {
  alignMany,
  encodeCursor,
  isUuid,
  queryPrepared,
  sortSignature,
} from '@customer-graph/runtime';
import { OrderEntity } from './order.entity';
import type { OrderRow } from './order.entity';

type Column = keyof OrderRow;

/** The columns each Order field reads (beyond id, customer and order time, always read). */
export const FIELD_COLUMNS: Record<string, readonly Column[]> = {
  __typename: [],
  id: [],
  code: ['code'],
  source: ['source'],
  status: ['status'],
  statusHistory: [],
  buyerName: ['buyerName'],
  buyerPhone: ['buyerPhone'],
  buyerPhoneE164: ['buyerPhoneE164'],
  buyerEmail: ['buyerEmail'],
  shipping: ['shippingAddress', 'shippingCarrier', 'trackingCode', 'shippingFee'],
  note: ['note'],
  items: ['items'],
  subtotal: ['subtotal'],
  discountTotal: ['discountTotal'],
  shippingFee: ['shippingFee'],
  total: ['total'],
  voucherCode: ['voucherCode'],
  voucherRejection: ['voucherRejection'],
  orderedAt: [],
  updatedAt: ['sourceUpdatedAt'],
  customer: [],
  detailsPending: ['detailsPending'],
};

const ALWAYS: readonly Column[] = ['id', 'customerId', 'orderedAt'];
const TIMESTAMPS = new Set(
  Object.entries(OrderEntity.options.columns)
    .filter(([, col]) => (col as { type?: unknown }).type === 'timestamptz')
    .map(([prop]) => prop as Column),
);
const ALL_COLUMNS = Object.keys(OrderEntity.options.columns) as Column[];
const COLUMN_NAME = Object.fromEntries(
  Object.entries(OrderEntity.options.columns).map(([prop, col]) => [
    prop,
    (col as { name?: string }).name ?? prop,
  ]),
) as Record<Column, string>;

/**
 * The columns the Order fields under `edges.node` of the resolved connection field
 * need, sorted; every column when a field is not known here (a field added later reads
 * what it needs). A function of the query's text alone, worked out once per field of a
 * parsed query (the server reuses a parsed query across requests; a field merged from
 * several nodes, once per request).
 */
const columnsCache = new WeakMap<object, string>();
export function selectedColumns(
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>,
): string {
  const key: object = info.fieldNodes.length === 1 ? info.fieldNodes[0] : info.fieldNodes;
  let cached = columnsCache.get(key);
  if (cached === undefined) {
    const fields = new Set<string>();
    const collect = (set: SelectionSetNode | undefined, path: string[], seen: Set<string>) => {
      for (const s of set?.selections ?? []) {
        if (s.kind === Kind.FIELD) {
          if (path.length === 0) fields.add(s.name.value);
          else if (s.name.value === path[0]) collect(s.selectionSet, path.slice(1), seen);
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          collect(s.selectionSet, path, seen);
        } else if (!seen.has(s.name.value)) {
          const fragment = info.fragments[s.name.value];
          collect(fragment?.selectionSet, path, new Set([...seen, s.name.value]));
        }
      }
    };
    for (const node of info.fieldNodes) collect(node.selectionSet, ['edges', 'node'], new Set());
    const known = [...fields].every((f) => f in FIELD_COLUMNS);
    const columns = known
      ? new Set([...ALWAYS, ...[...fields].flatMap((f) => FIELD_COLUMNS[f])])
      : new Set(ALL_COLUMNS);
    cached = [...columns].sort().join(',');
    columnsCache.set(key, cached);
  }
  return cached;
}

/** An edge whose cursor is encoded only when read. */
class LazyEdge {
  constructor(
    readonly node: OrderRow,
    private readonly cursorOf: (row: OrderRow) => string,
  ) {}
  get cursor(): string {
    return this.cursorOf(this.node);
  }
}

/** Cursors and pageInfo built only when read: the list page asks for neither. */
function lazyConnection(rows: OrderRow[], page: Page): Connection<OrderRow> {
  const sort = sortSignature(page.sort);
  const cursorOf = (row: OrderRow) =>
    encodeCursor({ list: page.list, sort, keys: [row.orderedAt.toISOString()], id: row.id });
  const nodes = rows.length > page.first ? rows.slice(0, page.first) : rows;
  return {
    edges: nodes.map((node) => new LazyEdge(node, cursorOf)),
    pageInfo: {
      hasNextPage: rows.length > page.first,
      get endCursor() {
        return nodes.length > 0 ? cursorOf(nodes[nodes.length - 1]) : null;
      },
    },
  };
}

export interface TabFilterSql {
  /** Conditions on `t` (or 'TRUE'), their parameters numbered after the statement's own. */
  sql: string;
  params: unknown[];
}

/**
 * Each customer's first page (newest first) after the cursor: one LATERAL index scan
 * per customer, stopped at the page's size, so a regular with 500 orders costs what
 * one with 5 does.
 */
export async function ordersPerCustomer(
  db: DataSource,
  workspaceId: string,
  customerIds: readonly string[],
  page: Page,
  columns: string,
  filter: TabFilterSql,
): Promise<Connection<OrderRow>[]> {
  const ids = customerIds.filter(isUuid);
  if (ids.length === 0) return customerIds.map(() => lazyConnection([], page));
  const params: unknown[] = [workspaceId, ids, page.first + 1, ...filter.params];
  const conditions = ['t.workspace_id = $1', 't.customer_id = parent.id', filter.sql];
  if (page.after) {
    params.push(page.after.keys[0], page.after.id);
    const [key, id] = [params.length - 1, params.length];
    conditions.push(`(t.ordered_at, t.id) < ($${key}::timestamptz, $${id}::uuid)`);
  }
  const selected = columns.split(',') as Column[];
  // Times as epoch milliseconds, made Dates here: cheaper to parse than timestamptz text.
  const times = selected.filter((c) => TIMESTAMPS.has(c));
  const select = selected
    .map((c) =>
      TIMESTAMPS.has(c)
        ? `(extract(epoch FROM t.${COLUMN_NAME[c]}) * 1000)::float8 AS "${c}"`
        : `t.${COLUMN_NAME[c]} AS "${c}"`,
    )
    .join(', ');
  const { rows } = await queryPrepared<OrderRow>(
    db,
    `SELECT ${select}
       FROM unnest($2::uuid[]) WITH ORDINALITY AS parent(id, k)
      CROSS JOIN LATERAL (
        SELECT * FROM customer_order t WHERE ${conditions.join(' AND ')}
         ORDER BY t.ordered_at DESC, t.id DESC LIMIT $3) t
      ORDER BY parent.k, t.ordered_at DESC, t.id DESC`,
    params,
  );
  for (const row of rows as unknown as Record<string, number | Date | null>[]) {
    for (const c of times) if (row[c] !== null) row[c] = new Date(row[c] as number);
  }
  return alignMany(customerIds, rows, (row) => row.customerId ?? '').map((list) =>
    lazyConnection(list, page),
  );
}

/** How many of each customer's orders match the tab's filter. */
export async function countPerCustomer(
  db: DataSource,
  workspaceId: string,
  customerIds: readonly string[],
  filter: TabFilterSql,
): Promise<number[]> {
  const ids = customerIds.filter(isUuid);
  const { rows } = ids.length
    ? await queryPrepared<{ customerId: string; n: number }>(
        db,
        `SELECT t.customer_id AS "customerId", count(*)::int AS n FROM customer_order t
          WHERE t.workspace_id = $1 AND t.customer_id = ANY($2::uuid[]) AND ${filter.sql}
          GROUP BY t.customer_id`,
        [workspaceId, ids, ...filter.params],
      )
    : { rows: [] };
  const byId = new Map(rows.map((r) => [r.customerId, r.n]));
  return customerIds.map((id) => byId.get(id) ?? 0);
}
