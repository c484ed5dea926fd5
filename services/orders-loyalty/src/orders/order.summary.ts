// A customer's purchases in figures (`Customer.orderSummary`): counted over the orders
// that are neither cancelled nor returned, for many customers in one query. The
// figures are kept on the customer's customer_order_version row by triggers on
// customer_order, in the transaction of every write (migrations/…-KeptOrderFigures.ts),
// so a page reads one row per customer instead of every order of its customers.
import DataLoader from 'dataloader';
import { isUuid, queryPrepared } from '@customer-graph/runtime';
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

/**
 * The kept figures of customers (`averageOrderValue` rounded down: totals are never
 * negative), times in epoch milliseconds.
 */
export const KEPT_SUMMARY_SQL = `
  SELECT customer_id AS "customerId", order_count AS "orderCount",
         completed_count AS "completedCount", total_spent::text AS "totalSpent",
         (CASE WHEN order_count > 0 THEN total_spent / order_count ELSE 0 END)::text
           AS "averageOrderValue",
         (extract(epoch FROM first_order_at) * 1000)::float8 AS "firstOrderAt",
         (extract(epoch FROM last_order_at) * 1000)::float8 AS "lastOrderAt"
    FROM customer_order_version
   WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[])`;

export function createSummaryLoader(
  db: DataSource,
  workspaceId: string,
): DataLoader<string, OrderSummary> {
  return new DataLoader(async (customerIds) => {
    const ids = customerIds.filter(isUuid);
    const { rows } = ids.length
      ? await queryPrepared<OrderSummary & { customerId: string }>(db, KEPT_SUMMARY_SQL, [
          workspaceId,
          ids,
        ])
      : { rows: [] };
    for (const row of rows) {
      // Epoch milliseconds (cheaper to read than timestamptz text) made Dates.
      if (row.firstOrderAt !== null) row.firstOrderAt = new Date(row.firstOrderAt);
      if (row.lastOrderAt !== null) row.lastOrderAt = new Date(row.lastOrderAt);
    }
    const byCustomer = new Map(rows.map((row) => [row.customerId, row]));
    return customerIds.map((id) => byCustomer.get(id) ?? NONE);
  });
}
