import type { Connection } from '@customer-graph/runtime';
import type { MarketingMessageRow } from './message.entity';

/** A customer as this subgraph knows it: only its id (contacts owns the rest). */
export interface CustomerRef {
  id: string;
}

/** A page of messages; `count` runs only when the client asks for totalCount. */
export interface MessagePage extends Connection<MarketingMessageRow> {
  count(): Promise<number>;
}
