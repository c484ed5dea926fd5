import type { Connection } from '@customer-graph/runtime';
import type { MarketingChannel, MarketingMessageRow } from './message.entity';
import type { MessageFilter } from './message.loaders';

/** A customer as this subgraph knows it: only its id (contacts owns the rest). */
export interface CustomerRef {
  id: string;
}

/** A customer's page of messages; totalCount counts (with the filter) only when asked. */
export interface MessagePage extends Connection<MarketingMessageRow> {
  filter: MessageFilter;
  customerId: string;
}

/** What a message_event row records (its table's CHECK). */
export type MessageEventStatus =
  'SENT' | 'FAILED' | 'DELIVERED' | 'OPENED' | 'CLICKED' | 'UNSUBSCRIBED' | 'COMPLAINED';

/** A message_event row, as the timeline shows it. */
export interface StatusChangeRow {
  status: MessageEventStatus;
  at: Date;
  detail: string | null;
}

/** One channel of a customer's marketing summary (one grouped query, summary loader). */
export interface ChannelSummaryRow {
  channel: MarketingChannel;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  failed: number;
  lastAt: Date;
}
