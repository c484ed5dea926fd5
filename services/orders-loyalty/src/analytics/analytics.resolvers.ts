import { checkGroupBy, createHeavyWorkLimiter } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { orderStats } from './order-stats';

const limiter = createHeavyWorkLimiter('order figures (orderStats)');

export const analyticsResolvers: Resolvers = {
  Query: {
    orderStats: (_root, { filter, groupBy }, ctx) => {
      const keys = checkGroupBy(groupBy);
      return limiter.run(ctx.workspaceId, () =>
        orderStats(ctx.db, ctx.workspaceId, ctx.access.scope, filter, keys),
      );
    },
  },
};

export const analyticsAccess: AccessRules = {
  // Figures over the whole workspace; rows scoped in SQL all the same
  // (projectedScopeSql: staff would count only their customers' orders).
  'Query.orderStats': { can: 'reports.read' },
};
