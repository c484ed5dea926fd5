// contacts.customer.merged: the codes issued to the merged customers are the
// survivor's now (its vouchers tab shows them; an order of the survivor may use them).
// Idempotent: a second delivery finds nothing left on the merged ids. A per-customer
// limit of a campaign is not re-checked: codes issued are kept, whoever holds them.
// The survivor's orders that were refused a code (NOT_THIS_CUSTOMER: the code was the
// merged customer's) try it again; the orders handler does the same for the orders it
// moves, so whichever runs second brings orders and codes together.
import { mergeTarget } from '@customer-graph/runtime';
import type { CUSTOMER_MERGED, EventHandler } from '@customer-graph/runtime';
import { retryRefusedVouchers } from './voucher.apply';

export const moveVouchersOnCustomerMerged: EventHandler<typeof CUSTOMER_MERGED> = async (
  tx,
  event,
) => {
  // The survivor, or whoever it was merged into since (a later merge applied first).
  const survivorId = await mergeTarget(tx, event);
  const { mergedIds } = event.payload;
  const [, moved] = (await tx.query(
    `UPDATE voucher SET customer_id = $2
      WHERE workspace_id = $1 AND customer_id = ANY($3::uuid[])`,
    [event.workspaceId, survivorId, mergedIds.filter((id) => id !== survivorId)],
  )) as [unknown, number];
  if (moved > 0) await retryRefusedVouchers(tx, event.workspaceId, [survivorId]);
};
