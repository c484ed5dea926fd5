// orders.customer.summary-changed v1 (schema/events/orders.customer.summary-changed.json),
// key = the customer id:
//   { customerId, version, orderCount, completedCount, totalSpent, firstOrderAt,
//     lastOrderAt, hasLiveOrder }
// with the figures of Customer.orderSummary (order.summary.ts): totals over orders
// neither CANCELLED nor RETURNED; hasLiveOrder = some order is not CANCELLED.
//
// Every write path that changes the orders attached to a customer (the upsert core,
// phone matching, buyer-matched, a deletion's detach, attachOrder) calls
// publishSummaries once, in its transaction, AFTER its last change to orders:
//   1. one INSERT … ON CONFLICT DO UPDATE SET version = version + 1 for all the
//      customers, in id order (two transactions lock shared customers in one order).
//      The row lock it takes is held until commit, so writers of one customer pass
//      here one at a time;
//   2. then, in a new statement (a new snapshot under READ COMMITTED, taken after the
//      lock), the figures of all the customers in one grouped query: they include
//      every change committed by a writer that held the lock before, so a larger
//      version never carries older figures;
//   3. the events, in one outbox statement;
//   4. the loyalty ledger of the same customers is reconciled with their orders
//      (loyalty/loyalty.reconcile.ts), so every write path earns and reverses points.
import type { EntityManager } from 'typeorm';
import {
  CUSTOMER_SUMMARY_CHANGED,
  appendEvents,
  createEvent,
  isUuid,
} from '@customer-graph/runtime';
import type { CustomerSummaryChangedPayload } from '@customer-graph/runtime';
import { NOT_COUNTED } from './order.summary';
import { reconcileLoyalty } from '../loyalty/loyalty.reconcile';

interface Figures {
  customerId: string;
  orderCount: number;
  completedCount: number;
  totalSpent: string;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  hasLiveOrder: boolean;
}

/** Publishes the summary of each customer (nulls and repeats ignored), versions bumped. */
export async function publishSummaries(
  tx: EntityManager,
  workspaceId: string,
  customerIds: Iterable<string | null | undefined>,
): Promise<void> {
  const ids = [...new Set(customerIds)].filter((id): id is string => !!id && isUuid(id));
  if (ids.length === 0) return;
  const versions: { customerId: string; version: string }[] = await tx.query(
    `INSERT INTO customer_order_version AS v (workspace_id, customer_id, version)
     SELECT $1, c.id, 1 FROM unnest($2::uuid[]) AS c(id) ORDER BY c.id
     ON CONFLICT (workspace_id, customer_id) DO UPDATE SET version = v.version + 1
     RETURNING v.customer_id AS "customerId", v.version`,
    [workspaceId, ids],
  );
  const figures: Figures[] = await tx.query(
    `SELECT c.id AS "customerId",
            count(o.id) FILTER (WHERE o.status <> ALL($3::text[]))::int AS "orderCount",
            count(o.id) FILTER (WHERE o.status = 'COMPLETED')::int AS "completedCount",
            COALESCE(sum(o.total) FILTER (WHERE o.status <> ALL($3::text[])), 0)::text
              AS "totalSpent",
            min(o.ordered_at) FILTER (WHERE o.status <> ALL($3::text[])) AS "firstOrderAt",
            max(o.ordered_at) FILTER (WHERE o.status <> ALL($3::text[])) AS "lastOrderAt",
            COALESCE(bool_or(o.status <> 'CANCELLED'), false) AS "hasLiveOrder"
       FROM unnest($2::uuid[]) AS c(id)
       LEFT JOIN customer_order o ON o.workspace_id = $1 AND o.customer_id = c.id
      GROUP BY c.id`,
    [workspaceId, ids, NOT_COUNTED],
  );
  const versionOf = new Map(versions.map((v) => [v.customerId, Number(v.version)]));
  await appendEvents(
    tx,
    figures.map((f) => {
      const payload: CustomerSummaryChangedPayload = {
        customerId: f.customerId,
        version: versionOf.get(f.customerId)!,
        orderCount: f.orderCount,
        completedCount: f.completedCount,
        totalSpent: Number(f.totalSpent),
        firstOrderAt: f.firstOrderAt?.toISOString() ?? null,
        lastOrderAt: f.lastOrderAt?.toISOString() ?? null,
        hasLiveOrder: f.hasLiveOrder,
      };
      return createEvent({
        type: CUSTOMER_SUMMARY_CHANGED,
        workspaceId,
        key: f.customerId,
        payload,
      });
    }),
  );
  await reconcileLoyalty(tx, workspaceId, ids);
}
