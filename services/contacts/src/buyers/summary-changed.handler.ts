// orders.customer.summary-changed: a customer's purchases in figures, projected onto
// the customer row so the list filters and sorts by them (order_count, total_spent,
// first_order_at, last_order_at), and has_live_order, which makes a CUSTOMER: the type
// is re-derived in the same statement (customer_derived_type).
//
// A summary is the whole state, not a change, and `version` grows with each change of
// one customer: a row takes only a version newer than the one it holds, so a
// redelivered or late summary changes nothing. Set-wise per run: a run's newest
// summary of each customer, one statement — what applying them in order would give.
//
// A summary for a customer contacts does not have (deleted; another workspace's id)
// changes nothing. None can come before the customer exists here: orders attaches
// orders only to a customer it learnt of from contacts' own events
// (contacts.customer.phones-changed, contacts.customer.buyer-matched, the
// assignments), each published in the transaction that created the customer, and a
// summary follows an attachment. Were one ever dropped that way, the next summary
// carries the whole state again.
import type { BatchEventHandler, CUSTOMER_SUMMARY_CHANGED, EventOf } from '@customer-graph/runtime';

type Summary = EventOf<typeof CUSTOMER_SUMMARY_CHANGED>;

/** Each customer's newest summary in the run. */
function newest(events: Summary[]): Summary[] {
  const latest = new Map<string, Summary>();
  for (const e of events) {
    const key = `${e.workspaceId} ${e.payload.customerId}`;
    const seen = latest.get(key);
    if (!seen || e.payload.version > seen.payload.version) latest.set(key, e);
  }
  return [...latest.values()];
}

export const onSummaryChanged: BatchEventHandler<typeof CUSTOMER_SUMMARY_CHANGED> = {
  async batch(tx, events) {
    const rows = newest(events);
    const derived = 'customer_derived_type(c.workspace_id, c.id, c.email, u.live)';
    // updated_at ("the record last changed") moves only with the type: the figures
    // are orders', not the record's.
    await tx.query(
      `UPDATE customer c SET
         order_count = u.orders, total_spent = u.spent, first_order_at = u.first_at,
         last_order_at = u.last_at, has_live_order = u.live, order_summary_version = u.version,
         type = ${derived},
         updated_at = CASE WHEN c.type IS DISTINCT FROM ${derived} THEN now() ELSE c.updated_at END
       FROM unnest($1::text[], $2::uuid[], $3::bigint[], $4::int[], $5::bigint[],
                   $6::timestamptz[], $7::timestamptz[], $8::boolean[])
            AS u(ws, id, version, orders, spent, first_at, last_at, live)
       WHERE c.workspace_id = u.ws AND c.id = u.id AND c.order_summary_version < u.version`,
      [
        rows.map((e) => e.workspaceId),
        rows.map((e) => e.payload.customerId),
        rows.map((e) => e.payload.version),
        rows.map((e) => e.payload.orderCount),
        rows.map((e) => e.payload.totalSpent),
        rows.map((e) => e.payload.firstOrderAt),
        rows.map((e) => e.payload.lastOrderAt),
        rows.map((e) => e.payload.hasLiveOrder),
      ],
    );
  },
};
