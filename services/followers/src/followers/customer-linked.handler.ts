// contacts.customer.zalo-linked: contacts matched (or created) the customer for a
// follower's shared phone; the follower now points at that customer. A run of events
// is one statement; a follower linked twice in it keeps its last link, as applying
// them one by one would.
import type { BatchEventHandler, CUSTOMER_ZALO_LINKED, EventOf } from '@customer-graph/runtime';

export const onCustomerZaloLinked: BatchEventHandler<typeof CUSTOMER_ZALO_LINKED> = {
  async batch(tx, events) {
    const last = new Map<string, EventOf<typeof CUSTOMER_ZALO_LINKED>>();
    for (const e of events) {
      last.set(`${e.workspaceId} ${e.payload.followerId}`, e);
    }
    const links = [...last.values()];
    await tx.query(
      `UPDATE zalo_follower f SET customer_id = u.cid
         FROM unnest($1::text[], $2::uuid[], $3::uuid[]) AS u(ws, fid, cid)
        WHERE f.workspace_id = u.ws AND f.id = u.fid`,
      [
        links.map((e) => e.workspaceId),
        links.map((e) => e.payload.followerId),
        links.map((e) => e.payload.customerId),
      ],
    );
  },
};
