// upsertOrders: orders from shop connectors and scripts, keyed by (source, code).
//
// Every order is checked first (order.input.ts); the valid ones are then written in
// ONE transaction with two set-based statements, whatever the batch size:
//   1. INSERT … ON CONFLICT (workspace_id, source, code) DO UPDATE … WHERE the stored
//      version is older: (source_updated_at, status rank) < the incoming one. A stale
//      version changes nothing, so a late PENDING never undoes a COMPLETED; on equal
//      times the later status in an order's life wins, so the result does not depend
//      on the order versions arrive in.
//   2. Each version's status, stale ones too, into customer_order_status with the
//      earliest time it was seen (LEAST): also independent of arrival order.
// A stub (a status a marketplace pushed before the details, shops/shopee.ingest.ts)
// takes the details of any version, stale or not; its status and version still follow
// the rule above. The push writes through the same rule (newerVersionSql) and history
// (recordStatusHistory).
// Rejected orders are listed with their field; nothing of them is written.
import type { DataSource, EntityManager } from 'typeorm';
import type { RequestAccess } from '@customer-graph/runtime';
import { badInput } from '@customer-graph/runtime';
import type { OrderInput } from '../generated/graphql';
import { ORDER_STATUSES } from './order.entity';
import { MAX_ORDERS_PER_CALL, checkOrder, isRejection } from './order.input';
import { attachByPhone } from './order.matching';
import type { CheckedOrder, Rejection } from './order.input';

export interface UpsertOrdersResult {
  created: number;
  updated: number;
  unchanged: number;
  rejected: Rejection[];
}

const RANK_SQL = (status: string) =>
  `array_position(ARRAY[${ORDER_STATUSES.map((s) => `'${s}'`).join(', ')}]::text[], ${status})`;

/**
 * The stale-update rule in SQL: whether the `incoming` row's version (source time,
 * then status rank) is newer than the `stored` one's (both aliases of customer_order).
 */
export const newerVersionSql = (stored: string, incoming: string) =>
  `(${stored}.source_updated_at, ${RANK_SQL(`${stored}.status`)})
     < (${incoming}.source_updated_at, ${RANK_SQL(`${incoming}.status`)})`;
const NEWER = newerVersionSql('o', 'EXCLUDED');

const rank = (o: CheckedOrder) => ORDER_STATUSES.indexOf(o.status);
const newer = (a: CheckedOrder, b: CheckedOrder) =>
  a.updatedAt.getTime() !== b.updatedAt.getTime()
    ? a.updatedAt.getTime() > b.updatedAt.getTime()
    : rank(a) > rank(b);

export async function upsertOrders(
  db: DataSource,
  workspaceId: string,
  access: RequestAccess,
  inputs: readonly OrderInput[],
): Promise<UpsertOrdersResult> {
  if (inputs.length > MAX_ORDERS_PER_CALL) {
    throw badInput(
      'orders',
      `at most ${MAX_ORDERS_PER_CALL} orders per call, got ${inputs.length}: split the batch`,
    );
  }
  const rejected: Rejection[] = [];
  const valid: CheckedOrder[] = [];
  const checkedAll = inputs.map((input, i) => checkOrder(input, i));
  // Asked together, so the caller's access loader answers them in one batch.
  const visible = await Promise.all(
    checkedAll.map((c) =>
      isRejection(c) || !c.customerId ? true : access.seesCustomer(c.customerId),
    ),
  );
  for (const [i, input] of inputs.entries()) {
    const checked = checkedAll[i];
    if (isRejection(checked)) rejected.push(checked);
    else if (!visible[i]) {
      rejected.push({
        index: i,
        source: input.source,
        code: input.code,
        field: 'customerId',
        reason: 'is not a customer you can see',
      });
    } else valid.push(checked);
  }
  // One row per key for the INSERT (it may not touch a row twice): the newest version.
  const winners = new Map<string, CheckedOrder>();
  for (const order of valid) {
    const key = `${order.source}\u0000${order.code}`;
    const held = winners.get(key);
    if (!held || newer(order, held)) winners.set(key, order);
  }
  let created = 0;
  let updated = 0;
  if (valid.length > 0) {
    await db.transaction(async (tx) => {
      const rows: { created: boolean }[] = await tx.query(
        `INSERT INTO customer_order AS o (workspace_id, customer_id, code, source, status,
           buyer_name, buyer_phone, buyer_phone_e164, buyer_email, shipping_address,
           shipping_carrier, tracking_code, note, items, subtotal, discount_total,
           shipping_fee, total, voucher_code, ordered_at, source_updated_at, updated_at)
         SELECT $1, x."customerId", x.code, x.source, x.status, x."buyerName", x."buyerPhone",
           x."buyerPhoneE164", x."buyerEmail", x."shippingAddress", x."shippingCarrier",
           x."trackingCode", x.note, x.items, x.subtotal, x."discountTotal", x."shippingFee",
           x.total, x."voucherCode", x."orderedAt", x."updatedAt", now()
         FROM jsonb_to_recordset($2::jsonb) AS x("customerId" uuid, code text, source text,
           status text, "buyerName" text, "buyerPhone" text, "buyerPhoneE164" text,
           "buyerEmail" text, "shippingAddress" text, "shippingCarrier" text,
           "trackingCode" text, note text, items jsonb, subtotal bigint, "discountTotal" bigint,
           "shippingFee" bigint, total bigint, "voucherCode" text, "orderedAt" timestamptz,
           "updatedAt" timestamptz)
         ON CONFLICT (workspace_id, source, code) DO UPDATE SET
           customer_id = COALESCE(EXCLUDED.customer_id, o.customer_id),
           status = CASE WHEN ${NEWER} THEN EXCLUDED.status ELSE o.status END,
           buyer_name = EXCLUDED.buyer_name,
           buyer_phone = EXCLUDED.buyer_phone, buyer_phone_e164 = EXCLUDED.buyer_phone_e164,
           buyer_email = EXCLUDED.buyer_email, shipping_address = EXCLUDED.shipping_address,
           shipping_carrier = EXCLUDED.shipping_carrier, tracking_code = EXCLUDED.tracking_code,
           note = EXCLUDED.note, items = EXCLUDED.items, subtotal = EXCLUDED.subtotal,
           discount_total = EXCLUDED.discount_total, shipping_fee = EXCLUDED.shipping_fee,
           total = EXCLUDED.total, voucher_code = EXCLUDED.voucher_code,
           ordered_at = EXCLUDED.ordered_at,
           source_updated_at = CASE WHEN ${NEWER} THEN EXCLUDED.source_updated_at
                                    ELSE o.source_updated_at END,
           details_pending = false, updated_at = now()
         WHERE ${NEWER} OR o.details_pending
         RETURNING (xmax = 0) AS created`,
        [workspaceId, JSON.stringify([...winners.values()])],
      );
      created = rows.filter((r) => r.created).length;
      updated = rows.length - created;
      // Orders whose phone the directory knows are attached at once (order.matching.ts).
      const phones = [...winners.values()].flatMap((o) =>
        o.buyerPhoneE164 ? [o.buyerPhoneE164] : [],
      );
      await attachByPhone(tx, workspaceId, phones);
      await recordStatusHistory(
        tx,
        workspaceId,
        valid.map((o) => ({ source: o.source, code: o.code, status: o.status, at: o.updatedAt })),
      );
    });
  }
  return { created, updated, unchanged: valid.length - created - updated, rejected };
}

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
