import { badInput, pageOf } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { columnsOf } from './message.columns';
import { MESSAGES_NEWEST_FIRST } from './message.loaders';
import type { MessageFilter } from './message.loaders';

/** A DateTime argument as the scalar parsed it (a Date), or null. */
const dateOf = (value: Date | string | null | undefined) =>
  value == null ? null : new Date(value);

export const messageResolvers: Resolvers = {
  Customer: {
    // A merged customer's id names its survivor (docs/merge.md).
    __resolveReference: async (ref, ctx) => ({
      id: await ctx.loaders.customerAccess.currentId.load(ref.id),
    }),
    marketing: (customer, args, ctx, info) => {
      const filter: MessageFilter = {
        channel: args.channel ?? null,
        from: dateOf(args.from),
        to: dateOf(args.to),
      };
      if (filter.from && filter.to && filter.to <= filter.from) {
        throw badInput('to', '"to" must be later than "from"');
      }
      const page = pageOf(args, info, MESSAGES_NEWEST_FIRST);
      return ctx.loaders.messages
        .byCustomer({ ...filter, page, columns: columnsOf(info) })
        .load(customer.id);
    },
    marketingSummary: (customer, _args, ctx) => ctx.loaders.messages.summary.load(customer.id),
  },
  MarketingMessageConnection: {
    totalCount: (page, _args, ctx) =>
      ctx.loaders.messages.countByCustomer(page.filter).load(page.customerId),
  },
  MarketingMessage: {
    // A message not handed to its provider yet shows when it was queued.
    sentAt: (message) => message.sentAt ?? message.createdAt,
    timeline: (message, _args, ctx) =>
      ctx.loaders.messages.timeline.load({ id: message.id, createdAt: message.createdAt }),
  },
};

const ofMessage = { inherit: 'a field of a message of a tab already checked' };

export const messageAccess: AccessRules = {
  'Customer.__resolveReference': {
    can: 'customers.read',
    customer: (ref: { id: string }) => ref.id,
  },
  'Customer.marketing': { can: 'customers.read', customer: (c: { id: string }) => c.id },
  'Customer.marketingSummary': { can: 'customers.read', customer: (c: { id: string }) => c.id },
  'MarketingMessageConnection.totalCount': { inherit: 'counts the tab its parent field checked' },
  'MarketingMessage.sentAt': ofMessage,
  'MarketingMessage.timeline': ofMessage,
};
