// contacts.customer.merged: the merged customers' messages are the survivor's now, so
// one person's campaign history is one list. Each keeps the customer it was sent to
// (merged_from): a campaign that reached two of the person's records keeps both
// messages, on the survivor (1766700000000-MergedMessages.ts). Idempotent: a second
// delivery finds no message of the merged customers left.
import { mergeTarget } from '@customer-graph/runtime';
import type { CUSTOMER_MERGED, EventHandler } from '@customer-graph/runtime';

export const onCustomerMerged: EventHandler<typeof CUSTOMER_MERGED> = async (tx, event) => {
  await tx.query(
    `UPDATE marketing_message SET customer_id = $2, merged_from = coalesce(merged_from, customer_id)
      WHERE workspace_id = $1 AND customer_id = ANY($3::uuid[])`,
    [event.workspaceId, await mergeTarget(tx, event), event.payload.mergedIds],
  );
};
