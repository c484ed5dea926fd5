import { normalisePhone, pageOf } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { listCustomers } from '../customers/customer.list';
import { scopeOf } from '../customers/customer.scope';
import { SAME_NUMBER_NEWEST_FIRST } from './same-number.loaders';

export const duplicateResolvers: Resolvers = {
  Query: {
    // Every holder of the number, oldest first: the customer list's own filter (in SQL,
    // scoped to the caller) and paging, under this field's cursors and page limits.
    customersByPhone: async (_parent, { phone, first, after }, ctx, info) => {
      const { e164 } = normalisePhone(phone, 'phone');
      return listCustomers(ctx.db, await scopeOf(ctx), {
        filter: { phone: { eq: e164 } },
        sort: [{ field: 'CREATED_AT', direction: 'ASC' }],
        first,
        after,
        field: info,
      });
    },
  },
  Customer: {
    sameNumberCustomers: async (customer, args, ctx, info) => {
      const page = pageOf(args, info, SAME_NUMBER_NEWEST_FIRST);
      const { duplicates } = ctx.loaders;
      const connection = await duplicates.sameNumber(page).load(customer.id);
      return {
        edges: connection.edges.map(({ cursor, node }) => ({
          cursor,
          node,
          sharedPhones: node.sharedPhones,
          sharedEmail: node.sharedEmail,
        })),
        pageInfo: connection.pageInfo,
        count: () => duplicates.sameNumberCount.load(customer.id),
      };
    },
  },
  SameNumberCustomerConnection: {
    totalCount: (page) => page.count(),
  },
};

export const duplicateAccess: AccessRules = {
  // Scoped in SQL like the customer list (staff: their own customers).
  'Query.customersByPhone': { can: 'customers.read' },
  // The other customers are scoped in SQL (same-number.loaders.ts).
  'Customer.sameNumberCustomers': { inherit: 'the customer was checked by its own resolver' },
  'SameNumberCustomerConnection.totalCount': { inherit: 'counts the list its parent scoped' },
};
