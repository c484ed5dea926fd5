import type { Resolvers } from '../generated/graphql';
import { requireWrite } from '../customers/customer.access';
import { markByPhones } from './phone-group.service';

export const phoneGroupResolvers: Resolvers = {
  Mutation: {
    markCustomersByPhones: (_parent, { group, phones, csv }, ctx) => {
      requireWrite(ctx.identity, 'markCustomersByPhones');
      return ctx.db.transaction((tx) => markByPhones(tx, ctx.identity, group, { phones, csv }));
    },
  },
};
