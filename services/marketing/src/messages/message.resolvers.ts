import { pageOf } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { MESSAGES_NEWEST_FIRST } from './message.loaders';

export const messageResolvers: Resolvers = {
  Customer: {
    // A merged customer's id names its survivor (docs/merge.md).
    __resolveReference: async (ref, ctx) => ({
      id: await ctx.loaders.customerAccess.currentId.load(ref.id),
    }),
    marketing: async (customer, args, ctx, info) => {
      const channel = args.channel ?? null;
      const connection = await ctx.loaders.messages
        .byCustomer({ page: pageOf(args, info, MESSAGES_NEWEST_FIRST), channel })
        .load(customer.id);
      return {
        ...connection,
        count: () => ctx.loaders.messages.countByCustomer(channel).load(customer.id),
      };
    },
  },
  MarketingMessageConnection: {
    totalCount: (page) => page.count(),
  },
  MarketingMessage: {
    // A message not handed to its provider yet shows when it was queued.
    sentAt: (message) => message.sentAt ?? message.createdAt,
  },
};

export const messageAccess: AccessRules = {
  'Customer.__resolveReference': {
    can: 'customers.read',
    customer: (ref: { id: string }) => ref.id,
  },
  'Customer.marketing': { can: 'customers.read', customer: (c: { id: string }) => c.id },
  'MarketingMessageConnection.totalCount': { inherit: 'counts the tab its parent field checked' },
  'MarketingMessage.sentAt': { inherit: 'a field of a message of a tab already checked' },
};
