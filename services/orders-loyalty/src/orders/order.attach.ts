// attachOrder: a person attaches one order of the same-number tab to a customer
// (order.same-number.ts). The order's buyer phone must be one of the customer's
// numbers in the phone directory; the caller must be allowed to change the customer
// (customers.write, the rule) and see it, and see the order where it is now (staff:
// attached to a customer of theirs). Either customer being out of the caller's sight
// is answered as if it did not exist (NOT_FOUND), as for another workspace's ids.
// The order is marked attached_manually_at: phone matching never moves it again.
// Under the workspace's phone-matching lock, as every other attaching write: each
// statement on orders locks the version rows of the customers whose figures it changes
// (KeptOrderFigures), so an upsert holding one of them while it attaches this very
// order by phone, and this attachment holding the order while it waits for that
// customer's row, would deadlock.
import type { DataSource } from 'typeorm';
import { PublicErrorCode, badInput, isUuid, publicError } from '@customer-graph/runtime';
import type { RequestAccess } from '@customer-graph/runtime';
import { ORDER_SELECT } from './order.entity';
import type { OrderRow } from './order.entity';
import { applyVouchers } from '../vouchers/voucher.apply';
import { publishSummaries } from './order.summary-events';
import { lockPhoneMatching } from '../phone-directory/phone-directory.module';

export async function attachOrder(
  db: DataSource,
  workspaceId: string,
  access: RequestAccess,
  orderId: string,
  customerId: string,
): Promise<OrderRow> {
  if (!isUuid(customerId) || !(await access.seesCustomer(customerId))) {
    throw publicError(PublicErrorCode.NOT_FOUND, `no customer ${customerId}`, {
      field: 'customerId',
    });
  }
  const noOrder = () =>
    publicError(PublicErrorCode.NOT_FOUND, `no order ${orderId}`, { field: 'orderId' });
  if (!isUuid(orderId)) throw noOrder();
  return db.transaction(async (tx) => {
    await lockPhoneMatching(tx, workspaceId);
    // Locked: a concurrent upsert or matching of this order waits for the decision.
    const [order]: OrderRow[] = await tx.query(
      `SELECT ${ORDER_SELECT} FROM customer_order o
        WHERE o.workspace_id = $1 AND o.id = $2 FOR UPDATE`,
      [workspaceId, orderId],
    );
    const seen =
      order &&
      (order.customerId
        ? await access.seesCustomer(order.customerId)
        : access.scope.kind === 'all');
    if (!seen) throw noOrder();
    const held: unknown[] = order.buyerPhoneE164
      ? await tx.query(
          `SELECT 1 FROM phone_directory
            WHERE workspace_id = $1 AND customer_id = $2 AND e164 = $3`,
          [workspaceId, customerId, order.buyerPhoneE164],
        )
      : [];
    if (held.length === 0) {
      throw badInput(
        'orderId',
        order.buyerPhoneE164
          ? `the buyer phone of order ${orderId} (${order.buyerPhoneE164}) is not one of customer ${customerId}'s phones`
          : `order ${orderId} has no buyer phone: only an order with one of the customer's phones can be attached`,
      );
    }
    await tx.query(
      `UPDATE customer_order SET customer_id = $3, attached_manually_at = now(), updated_at = now()
        WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, orderId, customerId],
    );
    // Attaching to the customer it already has changes no figure.
    if (order.customerId !== customerId) {
      // A code the order carries is tried again for its new customer.
      await applyVouchers(tx, workspaceId, [orderId]);
      await publishSummaries(tx, workspaceId, [order.customerId, customerId]);
    }
    const [attached]: OrderRow[] = await tx.query(
      `SELECT ${ORDER_SELECT} FROM customer_order o WHERE o.workspace_id = $1 AND o.id = $2`,
      [workspaceId, orderId],
    );
    return attached;
  });
}
