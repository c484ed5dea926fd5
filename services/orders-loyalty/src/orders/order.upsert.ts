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
// An input's customerId attaches the order (a merged customer's id: its survivor); one
// that moves an order from another customer is applied by a second statement, so the
// previous customer is known (the first statement locked the row) and gets its summary
// too.
// Then, in the same transaction: orders whose phone the directory knows are attached
// (order.matching.ts), unknown buyers are asked about (order.buyer-seen.ts), and last
// the summary of every customer whose orders changed is published
// (order.summary-events.ts); just before that, the orders' voucher codes are used or
// given back (vouchers/voucher.apply.ts). Every way orders come in (the GraphQL mutation, a shop's
// webhook, a file import) goes through upsertOrders and so gets all of that.
// A stub (a status a marketplace pushed before the details, shops/shopee.ingest.ts)
// takes the details of any version, stale or not; its status and version still follow
// the rule above. The push writes through the same rule and history (order.versions.ts).
// Rejected orders are listed with their field; nothing of them is written.
import type { DataSource, EntityManager } from 'typeorm';
import type { RequestAccess } from '@customer-graph/runtime';
import { badInput, survivorsOf } from '@customer-graph/runtime';
import type { OrderInput } from '../generated/graphql';
import { ORDER_STATUSES } from './order.entity';
import { MAX_ORDERS_PER_CALL, checkOrder, isRejection } from './order.input';
import { askAboutUnknownBuyers } from './order.buyer-seen';
import { lockPhoneMatching } from '../phone-directory/phone-directory.module';
import { attachByPhone } from './order.matching';
import { newerVersionSql, recordStatusHistory } from './order.versions';
import { publishSummaries } from './order.summary-events';
import { applyVouchers } from '../vouchers/voucher.apply';
import type { CheckedOrder, Rejection } from './order.input';

export interface UpsertOrdersResult {
  created: number;
  updated: number;
  unchanged: number;
  rejected: Rejection[];
}

const NEWER = newerVersionSql('o', 'EXCLUDED');

const rank = (o: CheckedOrder) => ORDER_STATUSES.indexOf(o.status);
const keyOf = (o: { source: string; code: string }) => `${o.source}\u0000${o.code}`;
const newer = (a: CheckedOrder, b: CheckedOrder) =>
  a.updatedAt.getTime() !== b.updatedAt.getTime()
    ? a.updatedAt.getTime() > b.updatedAt.getTime()
    : rank(a) > rank(b);

/**
 * `db`: the pool, or a transaction already open (the import's batch, so its orders and
 * its checkpoint commit together; TypeORM then nests a savepoint).
 */
export async function upsertOrders(
  db: DataSource | EntityManager,
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
    const held = winners.get(keyOf(order));
    if (!held || newer(order, held)) winners.set(keyOf(order), order);
  }
  let created = 0;
  let updated = 0;
  if (valid.length > 0) {
    await db.transaction(async (tx) => {
      // First: matching by phone is serialised per workspace (phone-directory.lock.ts).
      await lockPhoneMatching(tx, workspaceId);
      await toSurvivors(tx, workspaceId, winners);
      const rows: WrittenRow[] = await tx.query(
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
           customer_id = COALESCE(o.customer_id, EXCLUDED.customer_id),
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
         RETURNING o.id, o.source, o.code, o.customer_id AS "customerId", (xmax = 0) AS created`,
        [workspaceId, JSON.stringify([...winners.values()])],
      );
      created = rows.filter((r) => r.created).length;
      updated = rows.length - created;
      const moved = await moveToGivenCustomers(tx, workspaceId, rows, winners);
      // Orders whose phone the directory knows are attached at once (order.matching.ts).
      const phones = [...winners.values()].flatMap((o) =>
        o.buyerPhoneE164 ? [o.buyerPhoneE164] : [],
      );
      const attached = await attachByPhone(tx, workspaceId, phones);
      await recordStatusHistory(
        tx,
        workspaceId,
        valid.map((o) => ({ source: o.source, code: o.code, status: o.status, at: o.updatedAt })),
      );
      await askAboutUnknownBuyers(tx, workspaceId, valid);
      // Voucher codes used, given back or refused, once the orders have their customers.
      await applyVouchers(
        tx,
        workspaceId,
        rows.map((r) => r.id),
      );
      // Last: the figures are those of every change above.
      await publishSummaries(tx, workspaceId, [
        ...rows.map((r) => r.customerId),
        ...moved,
        ...attached,
      ]);
    });
  }
  return { created, updated, unchanged: valid.length - created - updated, rejected };
}

/**
 * A merged customer's id names its survivor (docs/merge.md): an order given one goes to
 * the survivor. Read under the phone-matching lock, which the merge's handler takes
 * too, so an order never lands on a customer merged meanwhile.
 */
async function toSurvivors(
  tx: EntityManager,
  workspaceId: string,
  winners: Map<string, CheckedOrder>,
): Promise<void> {
  const given = [...winners.values()].flatMap((o) => (o.customerId ? [o.customerId] : []));
  const survivors = await survivorsOf(tx, workspaceId, given);
  for (const [key, order] of winners) {
    const survivor = order.customerId && survivors.get(order.customerId.toLowerCase());
    if (survivor) winners.set(key, { ...order, customerId: survivor });
  }
}

/** An order the INSERT created or updated, with its customer before any move. */
interface WrittenRow {
  id: string;
  source: string;
  code: string;
  customerId: string | null;
  created: boolean;
}

/**
 * Moves written orders whose input names another customer than the one they have to
 * that customer (an explicit attachment wins, even over a manual one, whose mark it
 * clears); returns the customers they went to.
 */
async function moveToGivenCustomers(
  tx: EntityManager,
  workspaceId: string,
  rows: readonly WrittenRow[],
  winners: ReadonlyMap<string, CheckedOrder>,
): Promise<string[]> {
  const moves = rows.flatMap((row) => {
    const given = winners.get(keyOf(row))?.customerId;
    return given && row.customerId && given !== row.customerId ? [{ id: row.id, given }] : [];
  });
  if (moves.length === 0) return [];
  await tx.query(
    `UPDATE customer_order o SET customer_id = m.customer_id, attached_manually_at = NULL
       FROM unnest($2::uuid[], $3::uuid[]) AS m(id, customer_id)
      WHERE o.workspace_id = $1 AND o.id = m.id`,
    [workspaceId, moves.map((m) => m.id), moves.map((m) => m.given)],
  );
  return moves.map((m) => m.given);
}
