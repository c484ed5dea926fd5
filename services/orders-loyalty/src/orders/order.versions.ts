// The two rules every way an order is written shares (upsertOrders, a marketplace's
// status push): which version of an order is newer, and the status history.
import type { EntityManager } from 'typeorm';
import { ORDER_STATUSES } from './order.entity';

const RANK_SQL = (status: string) =>
  `array_position(ARRAY[${ORDER_STATUSES.map((s) => `'${s}'`).join(', ')}]::text[], ${status})`;

/**
 * The stale-update rule in SQL: whether the `incoming` row's version (source time,
 * then status rank) is newer than the `stored` one's (both aliases of customer_order).
 */
export const newerVersionSql = (stored: string, incoming: string) =>
  `(${stored}.source_updated_at, ${RANK_SQL(`${stored}.status`)})
     < (${incoming}.source_updated_at, ${RANK_SQL(`${incoming}.status`)})`;

/** One status an order was seen in, at the source's time of that version. */
export interface StatusSeen {
  source: string;
  code: string;
  status: string;
  at: Date;
}

/**
 * Keeps the earliest time each status of each order was seen (stale versions count):
 * the result does not depend on the order versions arrive in. Orders not stored are
 * skipped. Run in the transaction that wrote the orders.
 */
export async function recordStatusHistory(
  tx: EntityManager,
  workspaceId: string,
  seen: readonly StatusSeen[],
): Promise<void> {
  await tx.query(
    `INSERT INTO customer_order_status AS h (workspace_id, order_id, status, changed_at)
     SELECT $1, o.id, x.status, min(x.at)
     FROM jsonb_to_recordset($2::jsonb) AS x(source text, code text, status text, at timestamptz)
     JOIN customer_order o ON o.workspace_id = $1 AND o.source = x.source AND o.code = x.code
     GROUP BY o.id, x.status
     ON CONFLICT (order_id, status) DO UPDATE SET changed_at = LEAST(h.changed_at, EXCLUDED.changed_at)`,
    [workspaceId, JSON.stringify(seen)],
  );
}
