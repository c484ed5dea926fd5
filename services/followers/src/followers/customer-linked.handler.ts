// contacts.customer.zalo-linked: contacts matched (or created) the customer for a
// follower's shared phone; the follower now points at that customer, linked at the
// event's time. Several followers may point at one customer (two Zalo accounts sharing
// a phone): nothing here is unique per customer.
//
// A run of events is one statement; a follower linked twice in it keeps its newest
// link, as applying them one by one would. Events are keyed by customer, so two links
// of one follower to two customers may arrive out of order: an older link never
// replaces a newer one, and the follower ends where contacts last put its Zalo id.
//
// A link to a customer merged since (the link was published before the merge, and the
// two events took different partitions) goes to the survivor, through the runtime's
// projection of merges (customer-merges.ts).
import { queryPrepared } from '@customer-graph/runtime';
import type { BatchEventHandler, CUSTOMER_ZALO_LINKED, EventOf } from '@customer-graph/runtime';

export const onCustomerZaloLinked: BatchEventHandler<typeof CUSTOMER_ZALO_LINKED> = {
  async batch(tx, events) {
    // Per follower, the newest link (a tie goes to the later one): what applying them
    // one by one gives, in any order, since an older link never replaces a newer one.
    // A run may hold several partitions' events (customer keys), so not in time order.
    const last = new Map<string, EventOf<typeof CUSTOMER_ZALO_LINKED>>();
    for (const e of events) {
      const key = `${e.workspaceId} ${e.payload.followerId}`;
      const kept = last.get(key);
      if (!kept || Date.parse(kept.occurredAt) <= Date.parse(e.occurredAt)) last.set(key, e);
    }
    const links = [...last.values()];
    await queryPrepared(
      tx,
      `UPDATE zalo_follower f SET customer_id = COALESCE(m.survivor_id, u.cid), linked_at = u.at
         FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::timestamptz[]) AS u(ws, fid, cid, at)
         LEFT JOIN customer_merge m ON m.workspace_id = u.ws AND m.merged_id = u.cid
        WHERE f.workspace_id = u.ws AND f.id = u.fid
          AND (f.customer_id IS NULL OR f.linked_at <= u.at)`,
      [
        links.map((e) => e.workspaceId),
        links.map((e) => e.payload.followerId),
        links.map((e) => e.payload.customerId),
        links.map((e) => e.occurredAt),
      ],
    );
  },
};
