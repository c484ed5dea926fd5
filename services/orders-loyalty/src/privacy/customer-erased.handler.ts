// contacts.customer.erased in orders-loyalty (docs/privacy.md). The orders stay for
// the shop's accounts (totals, statuses, items, loyalty) but lose the buyer: name,
// phone, email, address and note, on the person's orders and on unattached orders
// with one of their numbers or their email. As a deletion does, the numbers leave the
// phone directory (a tombstone keeps late events from bringing them back) and the
// orders are detached (phone-directory/customer-deleted.handler.ts,
// orders/order.matching.ts); the buyer-seen rows of the numbers go; reviews of those
// orders lose their text and pictures (the rating stays); imported files, vouchers'
// and the ledger's free text lose the values. The loyalty ledger stays keyed by the id.
// Then the event tables are scrubbed and orders.customer.erasure-done answers, once.
import type { EntityManager } from 'typeorm';
import {
  appendEvent,
  claimErasure,
  createEvent,
  CUSTOMER_DELETED,
  ORDERS_CUSTOMER_ERASURE_DONE,
  personMatcher,
  scrubColumn,
  scrubEventTables,
} from '@customer-graph/runtime';
import type { CUSTOMER_ERASED, EventHandler, PersonMatcher } from '@customer-graph/runtime';
import { onCustomerDeleted } from '../phone-directory/customer-deleted.handler';
import { detachOnCustomerDeleted } from '../orders/order.matching';

interface BuyerRow {
  id: string;
  source: string;
  code: string;
  buyer_name: string | null;
  buyer_phone: string | null;
  buyer_phone_e164: string | null;
  buyer_email: string | null;
  shipping_address: string | null;
}

const BUYER = `id, source, code, buyer_name, buyer_phone, buyer_phone_e164, buyer_email,
  shipping_address`;

/** The person's orders, then the unattached ones with their numbers or email. */
async function buyerOrders(tx: EntityManager, ws: string, customerId: string) {
  const directory: { e164: string }[] = await tx.query(
    'SELECT e164 FROM phone_directory WHERE workspace_id = $1 AND customer_id = $2',
    [ws, customerId],
  );
  const own: BuyerRow[] = await tx.query(
    `SELECT ${BUYER} FROM customer_order WHERE workspace_id = $1 AND customer_id = $2`,
    [ws, customerId],
  );
  const phones = [
    ...new Set([
      ...directory.map((d) => d.e164),
      ...own.flatMap((o) => (o.buyer_phone_e164 ? [o.buyer_phone_e164] : [])),
    ]),
  ];
  const emails = [...new Set(own.flatMap((o) => (o.buyer_email ? [o.buyer_email] : [])))];
  const unattached: BuyerRow[] = await tx.query(
    `SELECT ${BUYER} FROM customer_order
      WHERE workspace_id = $1 AND customer_id IS NULL
        AND (buyer_phone_e164 = ANY($2::text[]) OR lower(buyer_email) = ANY($3::text[]))`,
    [ws, phones, emails.map((e) => e.toLowerCase())],
  );
  return { orders: [...own, ...unattached], phones, directoryRows: directory.length };
}

async function scrubFreeText(
  tx: EntityManager,
  ws: string,
  customerId: string,
  m: PersonMatcher | null,
) {
  let imports = 0;
  imports += await scrubColumn(tx, ws, m, {
    table: 'order_import',
    keys: ['id'],
    column: 'csv',
    kind: 'text',
  });
  imports += await scrubColumn(tx, ws, m, {
    table: 'order_import_chunk',
    keys: ['import_id', 'seq'],
    column: 'orders',
    kind: 'jsonb',
  });
  imports += await scrubColumn(tx, ws, m, {
    table: 'order_import_error',
    keys: ['id'],
    column: 'message',
    kind: 'text',
  });
  await scrubColumn(tx, ws, m, { table: 'voucher', keys: ['id'], column: 'note', kind: 'text' });
  await scrubColumn(tx, ws, m, {
    table: 'loyalty_entry',
    keys: ['id'],
    column: 'reason',
    kind: 'text',
    where: 'customer_id = $3',
    params: [customerId],
  });
  return imports;
}

export const onCustomerErased: EventHandler<typeof CUSTOMER_ERASED> = async (tx, event, logger) => {
  const { workspaceId: ws, payload } = event;
  const { customerId } = payload;
  if (!(await claimErasure(tx, ws, payload))) return;
  const { orders, phones, directoryRows } = await buyerOrders(tx, ws, customerId);
  const values = personMatcher({
    phones: [...phones, ...orders.map((o) => o.buyer_phone)],
    emails: orders.map((o) => o.buyer_email),
    texts: orders.flatMap((o) => [o.buyer_name, o.shipping_address]),
  });
  const deleted = {
    ...event,
    type: CUSTOMER_DELETED,
    payload: { customerId, deletedBy: payload.erasedBy },
  } as const;
  await onCustomerDeleted(tx, deleted, logger);
  await detachOnCustomerDeleted(tx, deleted, logger);
  const ids = orders.map((o) => o.id);
  const [, ordersScrubbed] = await tx.query(
    `UPDATE customer_order SET buyer_name = NULL, buyer_phone = NULL, buyer_phone_e164 = NULL,
       buyer_email = NULL, shipping_address = NULL, note = NULL, updated_at = now()
      WHERE workspace_id = $1 AND id = ANY($2::uuid[])`,
    [ws, ids],
  );
  const [, reviewsScrubbed] = await tx.query(
    `UPDATE order_review r SET comment = NULL, image_urls = '{}', updated_at = now()
       FROM unnest($2::text[], $3::text[]) AS o(source, code)
      WHERE r.workspace_id = $1 AND r.source = o.source AND r.order_code = o.code`,
    [ws, orders.map((o) => o.source), orders.map((o) => o.code)],
  );
  // A shop's reply may greet the buyer by name.
  await scrubColumn(tx, ws, values, {
    table: 'order_review',
    keys: ['id'],
    column: 'reply_text',
    kind: 'text',
  });
  const [, buyerSeenRows] = await tx.query(
    'DELETE FROM order_buyer_asked WHERE workspace_id = $1 AND e164 = ANY($2::text[])',
    [ws, phones],
  );
  const importsScrubbed = await scrubFreeText(tx, ws, customerId, values);
  const scrubbed = await scrubEventTables(
    tx,
    ws,
    personMatcher({
      customerIds: [customerId],
      phones: [...phones, ...orders.map((o) => o.buyer_phone)],
      emails: orders.map((o) => o.buyer_email),
      texts: orders.flatMap((o) => [o.buyer_name, o.shipping_address]),
    }),
    [ORDERS_CUSTOMER_ERASURE_DONE],
  );
  await appendEvent(
    tx,
    createEvent({
      type: ORDERS_CUSTOMER_ERASURE_DONE,
      workspaceId: ws,
      key: customerId,
      payload: {
        customerId,
        erasureId: payload.erasureId,
        removed: {
          ordersScrubbed,
          reviewsScrubbed,
          phoneDirectoryRows: directoryRows,
          buyerSeenRows,
          importsScrubbed,
          outboxScrubbed: scrubbed.outbox,
          deadLettersScrubbed: scrubbed.deadLetters,
        },
      },
    }),
  );
};
