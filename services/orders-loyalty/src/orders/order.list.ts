// Query.orders: the workspace's orders the caller may see, filtered, sorted on an
// indexed column with the id as tie-break, paged by keyset (pagination.ts), counted
// only when totalCount is asked for. Staff see only their customers' orders, and an
// order of no customer only roles that see every customer (projectedScopeSql).
import type { DataSource } from 'typeorm';
import {
  badInput,
  isUuid,
  pageOf,
  projectedScopeSql,
  toConnection,
  toE164,
} from '@customer-graph/runtime';
import type { CustomerScope, PagedField, SortKey } from '@customer-graph/runtime';
import type { OrderFilter, OrderSort } from '../generated/graphql';
import { ORDER_SELECT } from './order.entity';
import type { OrderRow } from './order.entity';
import type { OrderPage } from './order.mappers';

/**
 * The filter as SQL conditions over `alias`; `param` adds a value and returns its
 * placeholder (positional here, named in the per-customer loader).
 */
export function orderFilterSql(
  filter: OrderFilter | null | undefined,
  alias: string,
  param: (value: unknown) => string,
): string[] {
  const f = filter ?? {};
  const out: string[] = [];
  if (f.status) out.push(`${alias}.status = ANY(${param(f.status)})`);
  if (f.source) out.push(`${alias}.source = ANY(${param(f.source)})`);
  if (f.orderedFrom) out.push(`${alias}.ordered_at >= ${param(new Date(f.orderedFrom))}`);
  if (f.orderedTo) out.push(`${alias}.ordered_at < ${param(new Date(f.orderedTo))}`);
  if (f.phone != null) {
    const e164 = toE164(f.phone);
    if (!e164) throw badInput('filter.phone', `"${f.phone}" is not a valid phone number`);
    out.push(`${alias}.buyer_phone_e164 = ${param(e164)}`);
  }
  if (f.code != null) out.push(`${alias}.code = ${param(f.code.trim())}`);
  if (f.customerId != null) {
    out.push(isUuid(f.customerId) ? `${alias}.customer_id = ${param(f.customerId)}` : 'FALSE');
  }
  if (f.totalMin != null) out.push(`${alias}.total >= ${param(Number(f.totalMin))}`);
  if (f.totalMax != null) out.push(`${alias}.total <= ${param(Number(f.totalMax))}`);
  return out;
}

const SORT_COLUMNS = {
  ORDERED_AT: { column: 'ordered_at', kind: 'timestamptz', cast: 'timestamptz' },
  TOTAL: { column: 'total', kind: 'text', cast: 'bigint' },
} as const;

export interface OrderListArgs {
  filter?: OrderFilter | null;
  sort?: OrderSort | null;
  first?: number | null;
  after?: string | null;
}

export async function listOrders(
  db: DataSource,
  workspaceId: string,
  scope: CustomerScope,
  args: OrderListArgs,
  field: PagedField,
): Promise<OrderPage> {
  const sortField = args.sort?.field ?? 'ORDERED_AT';
  const direction = args.sort?.direction ?? 'DESC';
  const { column, kind, cast } = SORT_COLUMNS[sortField];
  const sort: SortKey[] = [{ key: sortField, direction, kind }];
  const page = pageOf(args, field, sort);
  const params: unknown[] = [workspaceId];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = [
    'o.workspace_id = $1',
    projectedScopeSql(scope, 'o.customer_id', 'o.workspace_id', param),
    ...orderFilterSql(args.filter, 'o', param),
  ];
  const countParams = [...params];
  const countWhere = where.join(' AND ');
  if (page.after) {
    const [key] = page.after.keys;
    if (cast === 'bigint' && !/^\d+$/.test(key)) {
      throw badInput('after', `"after" is not a cursor returned by ${page.list}`);
    }
    const op = direction === 'DESC' ? '<' : '>';
    where.push(`(o.${column}, o.id) ${op} (${param(key)}::${cast}, ${param(page.after.id)}::uuid)`);
  }
  const rows: OrderRow[] = await db.query(
    `SELECT ${ORDER_SELECT} FROM customer_order o WHERE ${where.join(' AND ')}
     ORDER BY o.${column} ${direction}, o.id ${direction} LIMIT ${page.first + 1}`,
    params,
  );
  const connection = toConnection(rows, page, (row) => [
    sortField === 'TOTAL' ? String(row.total) : row.orderedAt.toISOString(),
  ]);
  let counted: Promise<number> | undefined;
  const count = async () => {
    const [row] = await db.query(
      `SELECT count(*)::int AS n FROM customer_order o WHERE ${countWhere}`,
      countParams,
    );
    return row.n as number;
  };
  return { ...connection, count: () => (counted ??= count()) };
}
