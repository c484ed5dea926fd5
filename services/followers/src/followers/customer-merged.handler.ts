// contacts.customer.merged: the merged customers' followers now point at the survivor
// (one person on two Zalo accounts keeps both). Idempotent: a second delivery finds
// no follower of the merged customers left.
import { mergeTarget } from '@customer-graph/runtime';
import type { CUSTOMER_MERGED, EventHandler } from '@customer-graph/runtime';

export const onCustomerMerged: EventHandler<typeof CUSTOMER_MERGED> = async (tx, event) => {
  await tx.query(
    `UPDATE zalo_follower SET customer_id = $2
      WHERE workspace_id = $1 AND customer_id = ANY($3::uuid[])`,
    [event.workspaceId, await mergeTarget(tx, event), event.payload.mergedIds],
  );
};
