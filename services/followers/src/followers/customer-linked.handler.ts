// contacts.customer.zalo-linked: contacts matched (or created) the customer for a
// follower's shared phone; the follower now points at that customer. A run of events
// is one statement; a follower linked twice in it keeps its last link, as applying
// them one by one would. A link to a customer merged since (the link was published
// before the merge, and the two events took different partitions) goes to the
// survivor, through the runtime's projection of merges (customer-merges.ts).
import type { BatchEventHandler, CUSTOMER_ZALO_LINKED, EventOf } from '@customer-graph/runtime';

export const onCustomerZaloLinked: BatchEventHandler<typeof CUSTOMER_ZALO_LINKED> = {
  async batch(tx, events) {
    const last = new Map<string, EventOf<typeof CUSTOMER_ZALO_LINKED>>();
    for (const e of events) {
      last.set(`${e.workspaceId} ${e.payload.followerId}`, e);
    }
    const links = [...last.values()];
    await tx.query(
      `UPDATE zalo_follower f SET customer_id = COALESCE(m.survivor_id, u.cid)
         FROM unnest($1::text[], $2::uuid[], $3::uuid[]) AS u(ws, fid, cid)
         LEFT JOIN customer_merge m ON m.workspace_id = u.ws AND m.merged_id = u.cid
        WHERE f.workspace_id = u.ws AND f.id = u.fid`,
      [
        links.map((e) => e.workspaceId),
        links.map((e) => e.payload.followerId),
        links.map((e) => e.payload.customerId),
      ],
    );
  },
};
