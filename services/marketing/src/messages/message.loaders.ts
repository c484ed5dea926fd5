import type DataLoader from 'dataloader';
import type { Connection, Page, RequestScope } from '@customer-graph/runtime';
import { findPagesPerParent, loaderFamily, newestFirst } from '@customer-graph/runtime';
import { MarketingMessageEntity } from './message.entity';
import type { MarketingChannel, MarketingMessageRow } from './message.entity';

/** Messages are listed newest first. */
export const MESSAGES_NEWEST_FIRST = newestFirst('sent_at');

export interface MessagePageArgs {
  page: Page;
  channel: MarketingChannel | null;
}

export interface MessageLoaders {
  /** A page of a customer's messages, newest first; one query per distinct page. */
  byCustomer: (args: MessagePageArgs) => DataLoader<string, Connection<MarketingMessageRow>>;
}

declare module '../context' {
  interface Loaders {
    messages: MessageLoaders;
  }
}

export function createMessageLoaders({ db, workspaceId }: RequestScope): MessageLoaders {
  const messages = db.getRepository(MarketingMessageEntity);
  return {
    byCustomer: loaderFamily((args: MessagePageArgs, customerIds: readonly string[]) =>
      findPagesPerParent(messages, {
        parentColumn: 'customer_id',
        parentOf: (row) => row.customerId,
        sortKeyOf: (row) => row.sentAt,
        workspaceId,
        parentIds: customerIds,
        page: args.page,
        filter: args.channel
          ? { sql: 't.channel = :channel', params: { channel: args.channel } }
          : undefined,
      }),
    ),
  };
}
