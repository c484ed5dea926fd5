// orders.customer.tier-changed: a customer's loyalty tier, projected onto the customer
// row (loyalty_tier_rank, loyalty_tier_name) so the list filters and sorts by it
// (filter/filter.loyalty.ts, the TIER sort). Nothing of it is shown on the record:
// the loyalty tab is orders-loyalty's Customer.loyalty.
//
// The event is the whole state, and `version` grows with each change of one
// customer: a row takes only a version newer than the one it holds, so a redelivered
// or late event changes nothing. Set-wise per run: a run's newest event of each
// customer, one statement — what applying them in order would give.
//
// An event for a customer contacts does not have (deleted, merged away; another
// workspace's id) changes nothing. updated_at ("the record last changed") does not
// move: the tier is orders-loyalty's, not the record's.
import type { BatchEventHandler, CUSTOMER_TIER_CHANGED, EventOf } from '@customer-graph/runtime';

type TierChanged = EventOf<typeof CUSTOMER_TIER_CHANGED>;

/** Each customer's newest tier in the run. */
function newest(events: TierChanged[]): TierChanged[] {
  const latest = new Map<string, TierChanged>();
  for (const e of events) {
    const key = `${e.workspaceId} ${e.payload.customerId}`;
    const seen = latest.get(key);
    if (!seen || e.payload.version > seen.payload.version) latest.set(key, e);
  }
  return [...latest.values()];
}

export const onTierChanged: BatchEventHandler<typeof CUSTOMER_TIER_CHANGED> = {
  async batch(tx, events) {
    const rows = newest(events);
    await tx.query(
      `UPDATE customer c SET
         loyalty_tier_rank = u.rank, loyalty_tier_name = u.name, loyalty_tier_version = u.version
       FROM unnest($1::text[], $2::uuid[], $3::bigint[], $4::int[], $5::text[])
            AS u(ws, id, version, rank, name)
       WHERE c.workspace_id = u.ws AND c.id = u.id AND c.loyalty_tier_version < u.version`,
      [
        rows.map((e) => e.workspaceId),
        rows.map((e) => e.payload.customerId),
        rows.map((e) => e.payload.version),
        rows.map((e) => e.payload.tierRank),
        // No tier has no name, whatever the event says; a name is kept NFC, as the
        // filter reads the names it is given (filter/filter.loyalty.ts).
        rows.map((e) =>
          e.payload.tierRank === 0 ? null : (e.payload.tierName?.normalize('NFC') ?? null),
        ),
      ],
    );
  },
};
