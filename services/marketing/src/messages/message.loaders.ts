import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Connection, Page } from '@customer-graph/runtime';
import { findPagesPerParent, loaderFamily } from '@customer-graph/runtime';
import { MarketingMessageEntity } from './message.entity';
import type { MarketingChannel, MarketingMessageRow } from './message.entity';

export interface MessagePageArgs {
  page: Page;
  channel: MarketingChannel | null;
}

export interface MessageLoaders {
  /** A page of a customer's messages, newest first; one query per distinct page. */
  messagesByCustomer: (
    args: MessagePageArgs,
  ) => DataLoader<string, Connection<MarketingMessageRow>>;
}

export function createMessageLoaders(db: DataSource, workspaceId: string): MessageLoaders {
  const messages = db.getRepository(MarketingMessageEntity);
  return {
    messagesByCustomer: loaderFamily((args: MessagePageArgs, customerIds: readonly string[]) =>
      findPagesPerParent(messages, {
        parentColumn: 'customer_id',
        parentOf: (row) => row.customerId,
        sortColumn: 'sent_at',
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
