import { parsePage } from '@customer-graph/runtime';
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
  Customer: {
    notes: (customer, args, ctx) => ctx.loaders.notes.byCustomer(parsePage(args)).load(customer.id),
  },
};
