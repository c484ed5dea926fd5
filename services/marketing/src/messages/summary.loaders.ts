// The tab's per-customer figures and each message's timeline, batched per request: one
// index scan of the kept figures (summary.kept.ts) for a page of customers' summaries,
// one query for the timelines of a page of messages.
import DataLoader from 'dataloader';
import type { RequestScope } from '@customer-graph/runtime';
import { alignMany, isUuid, queryPrepared } from '@customer-graph/runtime';
import type { MarketingChannel } from './message.entity';
import type { ChannelSummaryRow, StatusChangeRow } from './message.mappers';

/** At most this many status changes of a message are shown, oldest first. */
export const TIMELINE_LIMIT = 50;

/** The order channels are listed in (the SDL enum's). */
const CHANNEL_RANK: Readonly<Record<MarketingChannel, number>> = {
  SMS: 0,
  EMAIL: 1,
  ZNS: 2,
  ZALO_OA: 3,
  ZALO_BULK: 4,
  FACEBOOK: 5,
};
const byChannel = (a: ChannelSummaryRow, b: ChannelSummaryRow) =>
  CHANNEL_RANK[a.channel] - CHANNEL_RANK[b.channel];

type KeptSummaryRow = ChannelSummaryRow & { customerId: string };

/**
 * Some customers' ($2) kept figures (summary.kept.ts) per channel, in workspace $1: the
 * summary loader's statement (the marketing bench's floor runs it too).
 */
export const KEPT_SUMMARY_READ = `SELECT customer_id AS "customerId", channel, sent, delivered, opened, clicked, failed,
                last_at AS "lastAt"
           FROM marketing_customer_summary
          WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[])`;

/** A message by its primary key: created_at names its month (partition). */
export interface MessageKey {
  id: string;
  createdAt: Date;
}

export interface SummaryLoaders {
  /** Each customer's figures per channel it has messages on. */
  summary: DataLoader<string, ChannelSummaryRow[]>;
  /** Each message's status changes, oldest first (at most TIMELINE_LIMIT). */
  timeline: DataLoader<MessageKey, StatusChangeRow[], string>;
}

export function createSummaryLoaders({ db, workspaceId }: RequestScope): SummaryLoaders {
  return {
    summary: new DataLoader(async (customerIds: readonly string[]) => {
      // The figures kept per customer and channel (summary.kept.ts): one index scan of
      // the kept table's primary key, whatever the customers' months of messages.
      const { rows } = await queryPrepared<KeptSummaryRow>(db, KEPT_SUMMARY_READ, [
        workspaceId,
        customerIds.filter(isUuid),
      ]);
      // Rows as they come (their customerId is read by no field).
      const byCustomer = new Map<string, ChannelSummaryRow[]>();
      for (const row of rows) {
        const list = byCustomer.get(row.customerId);
        if (list) list.push(row);
        else byCustomer.set(row.customerId, [row]);
      }
      return customerIds.map((id) => byCustomer.get(id)?.sort(byChannel) ?? []);
    }),
    timeline: new DataLoader(
      async (keys: readonly MessageKey[]) => {
        // Each message is looked up with its created_at: Postgres reads the one month
        // (message_event is partitioned like the messages) by the primary key.
        const { rows } = await queryPrepared<StatusChangeRow & { messageId: string }>(
          db,
          `SELECT e.* FROM unnest($2::uuid[], $3::timestamptz[]) AS k(id, created_at)
           CROSS JOIN LATERAL (
             SELECT message_id AS "messageId", status, at, detail FROM message_event
              WHERE workspace_id = $1 AND message_id = k.id AND message_created_at = k.created_at
              ORDER BY at, received_at, provider_event_id LIMIT ${TIMELINE_LIMIT}) e`,
          [workspaceId, keys.map((k) => k.id), keys.map((k) => k.createdAt)],
        );
        return alignMany(
          keys.map((k) => k.id),
          rows,
          (r) => r.messageId,
        ).map((list) => list.map(({ messageId: _, ...change }) => change));
      },
      { cacheKeyFn: (key) => key.id },
    ),
  };
}
