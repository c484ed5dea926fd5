// contacts.customer.merged: the merged customers' orders are the survivor's now (a
// manual attachment stays marked: the person's choice follows the customer), and the
// survivor's figures are published (order.summary-events.ts), so loyalty and revenue
// are one customer's again. After the phone directory's own handler (listed before
// this module), which took the workspace's phone-matching lock. Idempotent: a second
// delivery moves nothing and so publishes nothing.
import { mergeTarget } from '@customer-graph/runtime';
import type { CUSTOMER_MERGED, EventHandler } from '@customer-graph/runtime';
import { retryRefusedVouchers } from '../vouchers/voucher.apply';
import { publishSummaries } from './order.summary-events';

export const moveOnCustomerMerged: EventHandler<typeof CUSTOMER_MERGED> = async (tx, event) => {
  const survivor = await mergeTarget(tx, event);
  // An UPDATE … RETURNING comes back from TypeORM as [rows, count].
  const [, moved] = (await tx.query(
    `UPDATE customer_order SET customer_id = $2, updated_at = now()
      WHERE workspace_id = $1 AND customer_id = ANY($3::uuid[])`,
    [event.workspaceId, survivor, event.payload.mergedIds],
  )) as [unknown, number];
  if (moved === 0) return;
  // Codes of the merged customers, once the vouchers handler moved them (voucher.merge.ts).
  await retryRefusedVouchers(tx, event.workspaceId, [survivor]);
  await publishSummaries(tx, event.workspaceId, [survivor]);
};
