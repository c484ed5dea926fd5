import { checkGroupBy } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import type { CustomerFilterInput } from '../filter/filter.types';
import { scopeOf } from '../customers/customer.scope';
import { heavy } from '../customers/heavy-work';
import { customerStats } from './customer-stats';

export const analyticsResolvers: Resolvers = {
  Query: {
    customerStats: async (_root, { filter, groupBy }, ctx) => {
      const keys = checkGroupBy(groupBy);
      const scope = await scopeOf(ctx);
      // A grouping reads every customer the filter selects: heavy work, as a count is.
      return heavy(ctx.workspaceId, () =>
        customerStats(ctx.db, scope, filter as CustomerFilterInput | null, keys),
      );
    },
  },
};

export const analyticsAccess: AccessRules = {
  // Figures over the whole workspace; rows scoped in SQL all the same (staff would
  // count only their own customers), by the list's compileWhere.
  'Query.customerStats': { can: 'reports.read' },
};
