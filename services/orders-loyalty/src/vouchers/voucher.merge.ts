// contacts.customer.merged: the codes issued to the merged customers are the
// survivor's now (its vouchers tab shows them; an order of the survivor may use them).
// Idempotent: a second delivery finds nothing left on the merged ids. A per-customer
// limit of a campaign is not re-checked: codes issued are kept, whoever holds them.
import { mergeTarget } from '@customer-graph/runtime';
import type { CUSTOMER_MERGED, EventHandler } from '@customer-graph/runtime';

export const moveVouchersOnCustomerMerged: EventHandler<typeof CUSTOMER_MERGED> = async (
  tx,
  event,
) => {
  // The survivor, or whoever it was merged into since (a later merge applied first).
  const survivorId = await mergeTarget(tx, event);
  const { mergedIds } = event.payload;
  await tx.query(
    `UPDATE voucher SET customer_id = $2
      WHERE workspace_id = $1 AND customer_id = ANY($3::uuid[])`,
    [event.workspaceId, survivorId, mergedIds.filter((id) => id !== survivorId)],
  );
};
