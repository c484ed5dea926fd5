// Orders meet customers by phone (issue 11), never by a call to contacts: through the
// phone directory this subgraph keeps from contacts' events (phone-directory module).
//   - an order upserted with a phone in the directory is attached at once;
//   - an order upserted with a phone nobody holds makes orders ask contacts about the
//     buyer (orders.buyer.seen, order.buyer-seen.ts); contacts finds or creates the
//     customer with that phone and answers contacts.customer.buyer-matched, on which
//     the directory records the number and the waiting orders are attached;
//   - when contacts announces a customer's phones, the unattached orders with one of
//     them are attached (the directory, updated first in the same transaction, says
//     who holds each number);
//   - a deleted customer's orders are detached (kept for the shop's accounts), then
//     attached to another holder of their phone if the directory knows one.
// Matching only ever attaches unattached orders: an attached order, and above all one
// a person attached (attachOrder, attached_manually_at), is never moved by it. An
// order with no phone stays unattached. Every change publishes the summaries of the
// customers concerned (order.summary-events.ts).
import type { EntityManager } from 'typeorm';
import { queryPrepared } from '@customer-graph/runtime';
import type {
  BatchEventHandler,
  CUSTOMER_BUYER_MATCHED,
  CUSTOMER_DELETED,
  CUSTOMER_PHONES_CHANGED,
  EventHandler,
  EventOf,
} from '@customer-graph/runtime';
import { customerByPhone } from '../phone-directory/phone-directory.module';
import { applyVouchers } from '../vouchers/voucher.apply';
import { publishSummaries } from './order.summary-events';

/**
 * Attaches the workspace's unattached orders whose phone is one of `e164s` to the
 * phone's holder; returns the customers that got orders (one entry per order).
 */
export async function attachByPhone(
  tx: EntityManager,
  workspaceId: string,
  e164s: readonly string[],
): Promise<string[]> {
  const owners = await customerByPhone(tx, workspaceId, e164s);
  if (owners.size === 0) return [];
  // An UPDATE … RETURNING comes back from TypeORM as [rows, count].
  const [attached]: [{ id: string; customer_id: string; coded: boolean }[], number] =
    await tx.query(
      `UPDATE customer_order o SET customer_id = m.customer_id, updated_at = now()
         FROM unnest($2::text[], $3::uuid[]) AS m(e164, customer_id)
        WHERE o.workspace_id = $1 AND o.customer_id IS NULL AND o.buyer_phone_e164 = m.e164
        RETURNING o.id, o.customer_id, o.voucher_code IS NOT NULL AS coded`,
      [workspaceId, [...owners.keys()], [...owners.values()]],
    );
  // An order that carried a code while it had no customer was refused it
  // (NOT_THIS_CUSTOMER); now that it has one, the code is tried again.
  await applyVouchers(
    tx,
    workspaceId,
    attached.filter((r) => r.coded).map((r) => r.id),
  );
  return attached.map((r) => r.customer_id);
}

const attachOnePhonesChanged = async (
  tx: EntityManager,
  event: EventOf<typeof CUSTOMER_PHONES_CHANGED>,
) => {
  const attached = await attachByPhone(tx, event.workspaceId, event.payload.phones);
  await publishSummaries(tx, event.workspaceId, attached);
};

/**
 * A run of phones-changed events: most announce numbers no unattached order has (a new
 * customer, a number edited), so one look per workspace for such orders settles the
 * run; a workspace that has some has its events applied one by one, as ever.
 */
export const attachOnPhonesChanged: BatchEventHandler<typeof CUSTOMER_PHONES_CHANGED> = {
  async batch(tx, events) {
    const byWorkspace = new Map<string, EventOf<typeof CUSTOMER_PHONES_CHANGED>[]>();
    for (const e of events)
      byWorkspace.set(e.workspaceId, [...(byWorkspace.get(e.workspaceId) ?? []), e]);
    for (const [workspaceId, run] of byWorkspace) {
      const phones = [...new Set(run.flatMap((e) => e.payload.phones))];
      if (phones.length === 0) continue;
      const { rows } = await queryPrepared(
        tx,
        `SELECT 1 FROM customer_order
          WHERE workspace_id = $1 AND customer_id IS NULL AND buyer_phone_e164 = ANY($2::text[])
          LIMIT 1`,
        [workspaceId, phones],
      );
      if (rows.length === 0) continue;
      for (const event of run) await attachOnePhonesChanged(tx, event);
    }
  },
};

/** After the directory recorded the number (buyer-matched.handler.ts). */
export const attachOnBuyerMatched: EventHandler<typeof CUSTOMER_BUYER_MATCHED> = async (
  tx,
  event,
) => {
  const attached = await attachByPhone(tx, event.workspaceId, [event.payload.phoneE164]);
  await publishSummaries(tx, event.workspaceId, attached);
};

/**
 * The deleted customer's orders lose it (and the mark of a manual attachment: the
 * person's choice went with the customer); they go to another holder of their phone
 * if there is one. The deleted customer gets no summary; the new holders do.
 */
export const detachOnCustomerDeleted: EventHandler<typeof CUSTOMER_DELETED> = async (tx, event) => {
  const [detached]: [{ e164: string | null }[], number] = await tx.query(
    `UPDATE customer_order SET customer_id = NULL, attached_manually_at = NULL, updated_at = now()
      WHERE workspace_id = $1 AND customer_id = $2
      RETURNING buyer_phone_e164 AS e164`,
    [event.workspaceId, event.payload.customerId],
  );
  const phones = detached.flatMap((r) => (r.e164 ? [r.e164] : []));
  const attached = await attachByPhone(tx, event.workspaceId, phones);
  await publishSummaries(tx, event.workspaceId, attached);
};
