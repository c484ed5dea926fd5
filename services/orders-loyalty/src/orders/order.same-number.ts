// Customer.sameNumberOrders ("Đơn hàng trùng SĐT"): orders whose buyer phone is one of
// the customer's numbers (per the phone directory) but that are attached to another
// customer or to none, newest first: orders split off by a different name or account,
// for a person to attach by hand (order.attach.ts).
//
// Rows are scoped like every list of orders (projectedScopeSql on the order's own
// customer): staff see only orders attached to customers assigned to them, never one
// of another staff member's customer nor an unattached one; their count is of those
// rows only, so the tab does not tell them such orders exist.
import DataLoader from 'dataloader';
import type { Connection, Page, RequestScope } from '@customer-graph/runtime';
import {
  alignMany,
  isUuid,
  loaderFamily,
  projectedScopeSql,
  toConnection,
} from '@customer-graph/runtime';
import { ORDER_SELECT } from './order.entity';
import type { OrderRow } from './order.entity';

export interface SameNumberLoaders {
  /** A page per customer, one query per distinct page for every customer of a request. */
  page: (page: Page) => DataLoader<string, Connection<OrderRow>>;
  /** How many there are per customer, one query for every customer of a request. */
  count: DataLoader<string, number>;
}

/** FROM and WHERE for the customers $2, every placeholder numbered through `param`. */
function sameNumberSql({ workspaceId, access }: RequestScope, customerIds: string[]) {
  const params: unknown[] = [workspaceId, customerIds];
  const param = (value: unknown) => `$${params.push(value)}`;
  // The directory belongs to this subgraph (phone-directory module): joined here so a
  // page for many customers stays one query.
  const from = `phone_directory d
    JOIN customer_order o ON o.workspace_id = d.workspace_id AND o.buyer_phone_e164 = d.e164`;
  const where = [
    'd.workspace_id = $1',
    'd.customer_id = ANY($2::uuid[])',
    'o.customer_id IS DISTINCT FROM d.customer_id',
    projectedScopeSql(access.scope, 'o.customer_id', 'o.workspace_id', param),
  ];
  return { from, where, params, param };
}

export function createSameNumberLoaders(scope: RequestScope): SameNumberLoaders {
  const { db } = scope;
  return {
    page: loaderFamily(async (page: Page, keys: readonly string[]) => {
      const customerIds = [...new Set(keys.filter(isUuid))];
      if (customerIds.length === 0) return keys.map(() => toConnection([], page, () => []));
      const { from, where, params, param } = sameNumberSql(scope, customerIds);
      if (page.after) {
        const [key] = page.after.keys;
        where.push(
          `(o.ordered_at, o.id) < (${param(key)}::timestamptz, ${param(page.after.id)}::uuid)`,
        );
      }
      const rows: (OrderRow & { parentId: string; rn: string })[] = await db.query(
        `SELECT * FROM (
           SELECT ${ORDER_SELECT}, d.customer_id AS "parentId", row_number() OVER (
             PARTITION BY d.customer_id ORDER BY o.ordered_at DESC, o.id DESC) AS rn
             FROM ${from} WHERE ${where.join(' AND ')}) ranked
          WHERE rn <= ${page.first + 1}
          ORDER BY "orderedAt" DESC, id DESC`,
        params,
      );
      const orders = rows.map(({ parentId, rn: _rn, ...order }) => ({ parentId, order }));
      return alignMany(keys, orders, (r) => r.parentId).map((list) =>
        toConnection(
          list.map((r) => r.order),
          page,
          (order) => [order.orderedAt.toISOString()],
        ),
      );
    }),
    count: new DataLoader(async (keys) => {
      const customerIds = [...new Set(keys.filter(isUuid))];
      if (customerIds.length === 0) return keys.map(() => 0);
      const { from, where, params } = sameNumberSql(scope, customerIds);
      const rows: { customerId: string; n: number }[] = await db.query(
        `SELECT d.customer_id AS "customerId", count(*)::int AS n FROM ${from}
          WHERE ${where.join(' AND ')} GROUP BY d.customer_id`,
        params,
      );
      const byCustomer = new Map(rows.map((r) => [r.customerId, r.n]));
      return keys.map((id) => byCustomer.get(id) ?? 0);
    }),
  };
}
