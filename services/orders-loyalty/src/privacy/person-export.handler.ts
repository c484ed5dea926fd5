// contacts.person-export.requested in orders-loyalty (docs/privacy.md): the customer's
// orders (with the buyer's values and items), reviews of them, loyalty balance and
// ledger, and vouchers, as orders.person-export.part. At most PART_ROWS of each kind,
// newest first (an event is one Kafka message).
import { appendEvent, createEvent, ORDERS_PERSON_EXPORT_PART } from '@customer-graph/runtime';
import type { EventHandler, PERSON_EXPORT_REQUESTED } from '@customer-graph/runtime';

export const PART_ROWS = 1000;

export const onPersonExportRequested: EventHandler<typeof PERSON_EXPORT_REQUESTED> = async (
  tx,
  event,
) => {
  const { exportId, customerId } = event.payload;
  const args = [event.workspaceId, customerId, PART_ROWS];
  const orders = await tx.query(
    `SELECT source, code, status, ordered_at AS "orderedAt", buyer_name AS "buyerName",
            buyer_phone AS "buyerPhone", buyer_email AS "buyerEmail",
            shipping_address AS "shippingAddress", note, items, total, voucher_code AS "voucherCode"
       FROM customer_order WHERE workspace_id = $1 AND customer_id = $2
      ORDER BY ordered_at DESC LIMIT $3`,
    args,
  );
  const reviews = await tx.query(
    `SELECT r.order_code AS "orderCode", r.rating, r.comment, r.reviewed_at AS "reviewedAt"
       FROM order_review r JOIN customer_order o
         ON o.workspace_id = r.workspace_id AND o.source = r.source AND o.code = r.order_code
      WHERE r.workspace_id = $1 AND o.customer_id = $2 ORDER BY r.reviewed_at DESC LIMIT $3`,
    args,
  );
  const [loyalty] = await tx.query(
    `SELECT qualifying, redeemable, tier_name AS "tierName" FROM loyalty_balance
      WHERE workspace_id = $1 AND customer_id = $2`,
    args.slice(0, 2),
  );
  const ledger = await tx.query(
    `SELECT kind, reason, qualifying_delta AS "qualifyingDelta",
            redeemable_delta AS "redeemableDelta", created_at AS "createdAt"
       FROM loyalty_entry WHERE workspace_id = $1 AND customer_id = $2
      ORDER BY created_at DESC LIMIT $3`,
    args,
  );
  const vouchers = await tx.query(
    `SELECT code, issued_at AS "issuedAt", used_at AS "usedAt" FROM voucher
      WHERE workspace_id = $1 AND customer_id = $2 ORDER BY issued_at DESC LIMIT $3`,
    args,
  );
  await appendEvent(
    tx,
    createEvent({
      type: ORDERS_PERSON_EXPORT_PART,
      workspaceId: event.workspaceId,
      key: customerId,
      payload: {
        exportId,
        customerId,
        data: { orders, reviews, loyalty: loyalty ?? null, loyaltyLedger: ledger, vouchers },
      },
    }),
  );
};
