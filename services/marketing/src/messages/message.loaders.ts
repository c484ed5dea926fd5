import type DataLoader from 'dataloader';
import type { Connection, Page, RequestScope } from '@customer-graph/runtime';
import { findPagesPerParent, isUuid, loaderFamily, newestFirst } from '@customer-graph/runtime';
import { MarketingMessageEntity } from './message.entity';
import type { MarketingChannel, MarketingMessageRow } from './message.entity';

/** Messages are listed newest first. */
export const MESSAGES_NEWEST_FIRST = newestFirst('created_at');

export interface MessagePageArgs {
  page: Page;
  channel: MarketingChannel | null;
}

export interface MessageLoaders {
  /** A page of a customer's messages, newest first; one query per distinct page. */
  byCustomer: (args: MessagePageArgs) => DataLoader<string, Connection<MarketingMessageRow>>;
  /** How many messages each customer has (on one channel, or all): one grouped query. */
  countByCustomer: (channel: MarketingChannel | null) => DataLoader<string, number>;
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
        sortKeyOf: (row) => row.createdAt,
        workspaceId,
        parentIds: customerIds,
        page: args.page,
        filter: args.channel
          ? { sql: 't.channel = :channel', params: { channel: args.channel } }
          : undefined,
      }),
    ),
    countByCustomer: loaderFamily(
      async (channel: MarketingChannel | null, ids: readonly string[]) => {
        const rows: { customerId: string; n: number }[] = await messages
          .createQueryBuilder('t')
          .select('t.customer_id', 'customerId')
          .addSelect('count(*)::int', 'n')
          .where('t.workspace_id = :workspaceId AND t.customer_id = ANY(:ids)', {
            workspaceId,
            ids: ids.filter(isUuid),
          })
          .andWhere(channel ? 't.channel = :channel' : 'TRUE', { channel })
          .groupBy('t.customer_id')
          .getRawMany();
        const byId = new Map(rows.map((r) => [r.customerId, r.n]));
        return ids.map((id) => byId.get(id) ?? 0);
      },
    ),
  };
}
