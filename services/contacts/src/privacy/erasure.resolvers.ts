import { badInput, isUuid } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { erasureOf } from './erasure.read';
import { eraseCustomer } from './erasure.write';

export const erasureResolvers: Resolvers = {
  Query: {
    customerErasure: (_parent, { customerId }, ctx) => {
      if (!isUuid(customerId)) throw badInput('customerId', `"${customerId}" is not a customer id`);
      return erasureOf(ctx.db.manager, ctx.identity.workspaceId, customerId);
    },
  },
  Mutation: {
    eraseCustomer: (_parent, { id }, ctx) =>
      ctx.db.transaction((tx) => eraseCustomer(tx, ctx.identity, id)),
  },
};

// Not `customer:` rules: an erased or unknown customer is answered here (NOT_FOUND,
// or the erasure), not as null by the guard.
export const erasureAccess: AccessRules = {
  'Query.customerErasure': { can: 'customers.erase' },
  'Mutation.eraseCustomer': { can: 'customers.erase' },
};
