import type { Connection } from '@customer-graph/runtime';
import type { MarketingChannel, MarketingMessageRow } from './message.entity';

/** A customer as this subgraph knows it: only its id (contacts owns the rest). */
export interface CustomerRef {
  id: string;
}

/** A page of messages; `count` runs only when the client asks for totalCount. */
export interface MessagePage extends Connection<MarketingMessageRow> {
  count(): Promise<number>;
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
