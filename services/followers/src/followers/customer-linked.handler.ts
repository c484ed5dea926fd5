// contacts.customer.zalo-linked: contacts matched (or created) the customer for a
// follower's shared phone; the follower now points at that customer. A run of events
// is one statement; a follower linked twice in it keeps its last link, as applying
// them one by one would.
import type { BatchEventHandler, EventEnvelope } from '@customer-graph/runtime';

export const CUSTOMER_ZALO_LINKED = 'contacts.customer.zalo-linked';

interface ZaloLinked {
  customerId: string;
  followerId: string;
}

export const onCustomerZaloLinked: BatchEventHandler = {
  async batch(tx, events) {
    const last = new Map<string, EventEnvelope<ZaloLinked>>();
    for (const e of events as EventEnvelope<ZaloLinked>[]) {
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
