// A customer's purchases in figures (`Customer.orderSummary`): counted over the orders
// that are neither cancelled nor returned, for many customers in one query.
import DataLoader from 'dataloader';
import { isUuid } from '@customer-graph/runtime';
import type { DataSource } from 'typeorm';

export interface OrderSummary {
  orderCount: number;
  completedCount: number;
  /** Whole đồng, as a string (bigint). */
  totalSpent: string;
  averageOrderValue: string;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
}

/** Statuses that do not count toward what a customer bought. */
export const NOT_COUNTED = ['CANCELLED', 'RETURNED'] as const;

const NONE: OrderSummary = {
  orderCount: 0,
  completedCount: 0,
  totalSpent: '0',
  averageOrderValue: '0',
  firstOrderAt: null,
  lastOrderAt: null,
};

export function createSummaryLoader(
  db: DataSource,
  workspaceId: string,
): DataLoader<string, OrderSummary> {
  return new DataLoader(async (customerIds) => {
    const ids = customerIds.filter(isUuid);
    const rows: (OrderSummary & { customerId: string })[] = ids.length
      ? await db.query(
          `SELECT customer_id AS "customerId", count(*)::int AS "orderCount",
                  count(*) FILTER (WHERE status = 'COMPLETED')::int AS "completedCount",
                  sum(total)::text AS "totalSpent", floor(sum(total) / count(*))::bigint::text AS "averageOrderValue",
                  min(ordered_at) AS "firstOrderAt", max(ordered_at) AS "lastOrderAt"
             FROM customer_order
            WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[])
              AND status <> ALL($3::text[])
            GROUP BY customer_id`,
          [workspaceId, ids, NOT_COUNTED],
        )
      : [];
    const byCustomer = new Map(rows.map(({ customerId, ...summary }) => [customerId, summary]));
    return customerIds.map((id) => byCustomer.get(id) ?? NONE);
  });
}
