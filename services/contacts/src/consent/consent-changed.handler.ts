// marketing.consent.changed: a customer's consent on one channel, projected into
// customer_channel_consent and onto the customer (opted_out_channels, which the list
// filter `optedOutChannels` and the campaigns' audiences read).
//
// `version` grows by one per (customer, channel): a row takes only a newer version, so
// a redelivered or late event changes nothing. Set-wise per run: each (customer,
// channel)'s newest event in the run, one upsert, then one refresh of the customers'
// column — what applying them in order would give.
//
// The row is kept under the id the event names, also when that customer has been
// merged into another here (an event published before the merge, delivered after): it
// counts for the survivor, whose opt-outs are the union of its own and its merged
// customers' (consent.refresh.ts). An opt-in of the survivor itself (staff, after the
// merge) is the person's answer now: it clears that channel's opt-outs its merged
// customers carried (their rows keep their versions, so a later event of a merged id
// still applies by it). An event for an id contacts never had, or of another
// workspace's customer, stores nothing.
import type { BatchEventHandler, CONSENT_CHANGED, EventOf } from '@customer-graph/runtime';
import { refreshOptedOut } from './consent.refresh';

type ConsentChanged = EventOf<typeof CONSENT_CHANGED>;

/** Each (customer, channel)'s newest event in the run. */
function newest(events: ConsentChanged[]): ConsentChanged[] {
  const latest = new Map<string, ConsentChanged>();
  for (const e of events) {
    const key = `${e.workspaceId} ${e.payload.customerId} ${e.payload.channel}`;
    const seen = latest.get(key);
    if (!seen || e.payload.version > seen.payload.version) latest.set(key, e);
  }
  return [...latest.values()];
}

export const onConsentChanged: BatchEventHandler<typeof CONSENT_CHANGED> = {
  async batch(tx, events) {
    const rows = newest(events);
    const applied: { ws: string; id: string; channel: string; opted_out: boolean }[] =
      await tx.query(
        `INSERT INTO customer_channel_consent AS k
              (workspace_id, customer_id, channel, opted_out, version)
       SELECT u.ws, u.id, u.channel, u.opted_out, u.version
         FROM unnest($1::text[], $2::uuid[], $3::text[], $4::boolean[], $5::bigint[])
              AS u(ws, id, channel, opted_out, version)
        WHERE EXISTS (SELECT 1 FROM customer c WHERE c.workspace_id = u.ws AND c.id = u.id)
           OR EXISTS (SELECT 1 FROM customer_merge m
                       WHERE m.workspace_id = u.ws AND m.merged_id = u.id)
       ON CONFLICT (workspace_id, customer_id, channel) DO UPDATE
         SET opted_out = EXCLUDED.opted_out, version = EXCLUDED.version
         WHERE k.version < EXCLUDED.version
       RETURNING k.workspace_id AS ws, k.customer_id AS id, k.channel, k.opted_out`,
        [
          rows.map((e) => e.workspaceId),
          rows.map((e) => e.payload.customerId),
          rows.map((e) => e.payload.channel),
          rows.map((e) => e.payload.optedOut),
          rows.map((e) => e.payload.version),
        ],
      );
    const optedIn = applied.filter((r) => !r.opted_out);
    if (optedIn.length > 0) {
      await tx.query(
        `UPDATE customer_channel_consent k SET opted_out = false
           FROM unnest($1::text[], $2::uuid[], $3::text[]) AS u(ws, id, channel)
           JOIN customer_merge m ON m.workspace_id = u.ws AND m.survivor_id = u.id
          WHERE k.workspace_id = u.ws AND k.customer_id = m.merged_id
            AND k.channel = u.channel AND k.opted_out`,
        [optedIn.map((r) => r.ws), optedIn.map((r) => r.id), optedIn.map((r) => r.channel)],
      );
    }
    await refreshOptedOut(
      tx,
      applied.map((r) => ({ workspaceId: r.ws, customerId: r.id })),
    );
  },
};
