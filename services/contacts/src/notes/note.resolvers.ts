import { pageOf } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { addNote } from './note.service';
import { NOTES_NEWEST_FIRST } from './note.loaders';

export const noteResolvers: Resolvers = {
  Mutation: {
    addCustomerNote: (_parent, { customerId, text }, ctx) => {
      return ctx.db.transaction((tx) => addNote(tx, ctx.identity, customerId, text));
    },
  },
  Customer: {
    notes: (customer, args, ctx, info) =>
      ctx.loaders.notes.byCustomer(pageOf(args, info, NOTES_NEWEST_FIRST)).load(customer.id),
  },
};

export const noteAccess: AccessRules = {
  'Mutation.addCustomerNote': { can: 'customers.write' },
  'Customer.notes': { inherit: 'the customer was checked by its own resolver' },
};
