import { parsePage } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';

export const messageResolvers: Resolvers = {
  Customer: {
    __resolveReference: (ref) => ({ id: ref.id }),
    marketing: (customer, args, ctx) =>
      ctx.loaders.messages
        .byCustomer({ page: parsePage(args, 10), channel: args.channel ?? null })
        .load(customer.id),
  },
};
