// The tab's per-customer figures and each message's timeline, batched per request: one
// grouped query for a page of customers' summaries, one query for the timelines of a
// page of messages.
import DataLoader from 'dataloader';
import type { RequestScope } from '@customer-graph/runtime';
import { alignMany, isUuid, queryPrepared } from '@customer-graph/runtime';
import type { MarketingChannel } from './message.entity';
import type { ChannelSummaryRow, StatusChangeRow } from './message.mappers';

/** At most this many status changes of a message are shown, oldest first. */
export const TIMELINE_LIMIT = 50;

/** The order channels are listed in (the SDL enum's). */
const CHANNEL_ORDER: readonly MarketingChannel[] = [
  'SMS',
  'EMAIL',
  'ZNS',
  'ZALO_OA',
  'ZALO_BULK',
  'FACEBOOK',
];

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
      // A status counts as reached when the message's furthest status is at or beyond
      // it (status_rank: QUEUED 0, SENT 1, FAILED 2, DELIVERED 3, OPENED 4, CLICKED 5);
      // FAILED by its rank too, so the index answers alone (CustomerCoverIndex).
      const { rows } = await queryPrepared<ChannelSummaryRow & { customerId: string }>(
        db,
        `SELECT customer_id AS "customerId", channel,
                count(*) FILTER (WHERE status_rank >= 1)::int AS sent,
                count(*) FILTER (WHERE status_rank >= 3)::int AS delivered,
                count(*) FILTER (WHERE status_rank >= 4)::int AS opened,
                count(*) FILTER (WHERE status_rank >= 5)::int AS clicked,
                count(*) FILTER (WHERE status_rank = 2)::int AS failed,
                max(coalesce(sent_at, created_at)) AS "lastAt"
           FROM marketing_message
          WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[])
          GROUP BY customer_id, channel`,
        [workspaceId, customerIds.filter(isUuid)],
      );
      const rank = (c: MarketingChannel) => CHANNEL_ORDER.indexOf(c);
      return alignMany(customerIds, rows, (r) => r.customerId).map((list) =>
        list
          .sort((a, b) => rank(a.channel) - rank(b.channel))
          .map(({ customerId: _, ...summary }) => summary),
      );
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
