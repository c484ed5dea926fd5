import type { Resolvers } from '../generated/graphql';
import { requireWrite } from '../customers/customer.access';
import { addNote } from './note.service';

export const noteResolvers: Resolvers = {
  Mutation: {
    addCustomerNote: (_parent, { customerId, text }, ctx) => {
      requireWrite(ctx.identity, 'addCustomerNote');
      return ctx.db.transaction((tx) => addNote(tx, ctx.identity, customerId, text));
    },
  },
};
