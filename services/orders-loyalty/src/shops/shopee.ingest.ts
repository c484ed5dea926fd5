// Applying a Shopee order-status push to the order it names, in the workspace the
// shop is connected to, through the same rule and history as upsertOrders
// (orders/order.upsert.ts):
//
// - A known order (source SHOPEE, code = ordersn) takes the status only when the push
//   is newer than the version it holds (update_time, then status rank: a stale push
//   never takes COMPLETED back to PENDING); its details are left alone.
// - An unknown order becomes a stub: status only, no items or buyer, money 0,
//   `details_pending`, ordered at the push's update_time. Its first upsert fills it
//   in (order.upsert.ts). A stub has no phone, so it is never attached to a customer
//   (the table checks it) and counts in no customer's figures.
// - Every push's status goes into the order's status history (earliest time kept).
// - A cancellation or return gives the order's voucher code back (vouchers/voucher.apply.ts).
// - A status change of an attached order publishes its customer's figures
//   (orders.customer.summary-changed), as every write to orders does.
//
// The delivery (workspace, shop, SHA-256 of the body) is recorded in
// shopee_webhook_seen by the statement that writes the order, and the order is written
// only if that row is new: a delivery seen before is answered but applied once, even
// when copies arrive together (the second insert waits for the first to commit, then
// does nothing). The history follows in the same transaction.
import type { DataSource } from 'typeorm';
import type { OrderStatus } from '../orders/order.entity';
import { publishSummaries } from '../orders/order.summary-events';
import { applyVouchers } from '../vouchers/voucher.apply';
import { newerVersionSql, recordStatusHistory } from '../orders/order.versions';
import { PUSH_FRESHNESS_MS } from './shopee-push';

/** One request: which shop it came for and its body's SHA-256. */
export interface Delivery {
  shopId: string;
  bodySha256: Buffer;
}

export interface StatusPush {
  /** The order's code (Shopee's ordersn). */
  code: string;
  status: OrderStatus;
  /** Shopee's time of the status. */
  at: Date;
}

export interface Applied {
  /** Whether the order changed (a newer status, or a new stub). */
  applied: boolean;
  /** The order was unknown: a stub now holds its status. */
  stub?: true;
  /** The same delivery was applied before: this one changed nothing. */
  duplicate?: true;
}

export async function applyShopeeStatus(
  db: DataSource,
  workspaceId: string,
  push: StatusPush,
  delivery: Delivery,
): Promise<Applied> {
  return db.transaction(async (tx) => {
    const [row]: {
      fresh: boolean;
      created: boolean | null;
      customerId: string | null;
      orderId: string | null;
    }[] = await tx.query(
      `WITH seen AS (
         INSERT INTO shopee_webhook_seen (workspace_id, shop_id, body_sha256) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING 1),
       changed AS (
         INSERT INTO customer_order AS o (workspace_id, code, source, status, items, subtotal,
           discount_total, shipping_fee, total, ordered_at, source_updated_at, updated_at,
           details_pending)
         SELECT $1, $4, 'SHOPEE', $5, '[]', 0, 0, 0, 0, $6, $6, now(), true FROM seen
         ON CONFLICT (workspace_id, source, code) DO UPDATE SET
           status = EXCLUDED.status, source_updated_at = EXCLUDED.source_updated_at,
           updated_at = now()
         WHERE ${newerVersionSql('o', 'EXCLUDED')}
         RETURNING (xmax = 0) AS created, o.customer_id, o.id)
       SELECT EXISTS (SELECT 1 FROM seen) AS fresh, (SELECT created FROM changed) AS created,
              (SELECT customer_id FROM changed) AS "customerId",
              (SELECT id FROM changed) AS "orderId"`,
      [workspaceId, delivery.shopId, delivery.bodySha256, push.code, push.status, push.at],
    );
    if (!row.fresh) return { applied: false, duplicate: true };
    await recordStatusHistory(tx, workspaceId, [
      { source: 'SHOPEE', code: push.code, status: push.status, at: push.at },
    ]);
    if (row.created === null) return { applied: false };
    // A cancellation or return gives the order's voucher code back (voucher.apply.ts).
    await applyVouchers(tx, workspaceId, [row.orderId!]);
    // A status change moves the figures of the customer the order is attached to.
    await publishSummaries(tx, workspaceId, [row.customerId]);
    return row.created ? { applied: true, stub: true } : { applied: true };
  });
}

/**
 * Forgets deliveries too old to be accepted again: a push is accepted up to
 * PUSH_FRESHNESS_MS either side of its timestamp, so a delivery received at the
 * earliest moment stays replayable for twice that. Returns how many were forgotten.
 */
export async function pruneSeenPushes(db: DataSource): Promise<number> {
  // Maintenance of every workspace's deliveries at once: by age, not by tenant.
  const [, count] = (await db.query(
    `DELETE FROM shopee_webhook_seen WHERE received_at < now() - $1 * interval '1 millisecond'`,
    [2 * PUSH_FRESHNESS_MS + 60_000],
  )) as [unknown, number];
  return count;
}
