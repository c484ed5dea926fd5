// The follower list's "total orders" column (seed 000): `ZaloFollower.totalOrders`,
// through the customer the followers subgraph links the follower to (`@requires`), so
// a page of followers costs one summary query here, whatever its size.
import { visibleRows } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import type { FollowerRef } from './follower-orders.mappers';

export const followerOrderResolvers: Resolvers = {
  ZaloFollower: {
    // The gateway sends the follower's id and its customer's id (`@requires`), both
    // from the followers subgraph's answer. The follower is seen like that customer; a
    // follower linked to none only by roles that see every customer.
    // (Codegen types a reference by its key alone; `@requires` adds the customer.)
    __resolveReference: async (ref, ctx) => {
      const follower = { id: ref.id, customer: (ref as Partial<FollowerRef>).customer ?? null };
      const [visible] = await visibleRows(ctx.access, [follower], (f) => f.customer?.id ?? null);
      return visible ?? null;
    },
    totalOrders: async (follower, _args, ctx) => {
      const customerId = follower.customer?.id;
      if (!customerId) return 0;
      return (await ctx.loaders.orders.summary.load(customerId)).orderCount;
    },
  },
};

export const followerOrderAccess: AccessRules = {
  // Seen like its customer (visibleRows in the resolver).
  'ZaloFollower.__resolveReference': { can: 'customers.read' },
  'ZaloFollower.totalOrders': {
    can: 'customers.read',
    customer: (f: { customer?: { id: string } | null }) => f.customer?.id,
  },
};

export const followerOrdersModule: DomainModule = {
  name: 'followerOrders',
  resolvers: [followerOrderResolvers],
  access: followerOrderAccess,
};
