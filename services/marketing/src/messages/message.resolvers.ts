import { pageOf } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { MESSAGES_NEWEST_FIRST } from './message.loaders';

export const messageResolvers: Resolvers = {
  Customer: {
    __resolveReference: (ref) => ({ id: ref.id }),
    marketing: (customer, args, ctx, info) =>
      ctx.loaders.messages
        .byCustomer({
          page: pageOf(args, info, MESSAGES_NEWEST_FIRST),
          channel: args.channel ?? null,
        })
        .load(customer.id),
  },
};

export const messageAccess: AccessRules = {
  'Customer.__resolveReference': {
    can: 'customers.read',
    customer: (ref: { id: string }) => ref.id,
  },
  'Customer.marketing': { can: 'customers.read', customer: (c: { id: string }) => c.id },
};
