import { pageOf } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { FOLLOWERS_NEWEST_FIRST, listFollowers, syncFollowers } from './follower.service';

export const followerResolvers: Resolvers = {
  Query: {
    followers: (_parent, { filter, ...args }, ctx, info) =>
      listFollowers(
        ctx.db,
        ctx.workspaceId,
        ctx.access.scope,
        filter ?? {},
        pageOf(args, info, FOLLOWERS_NEWEST_FIRST),
      ),
  },
  Mutation: {
    syncZaloFollowers: (_parent, { followers }, ctx) => {
      return syncFollowers(ctx.db, ctx.workspaceId, followers);
    },
  },
  Customer: {
    // A merged customer's id names its survivor (docs/merge.md).
    __resolveReference: async (ref, ctx) => ({
      id: await ctx.loaders.customerAccess.currentId.load(ref.id),
    }),
    zaloFollower: (customer, _args, ctx) => ctx.loaders.followers.byCustomer.load(customer.id),
    zaloFollowerCount: (customer, _args, ctx) =>
      ctx.loaders.followers.countByCustomer.load(customer.id),
  },
  ZaloFollower: {
    __resolveReference: (ref, ctx) => ctx.loaders.followers.byId.load(ref.id),
    customer: (follower) => (follower.customerId ? { id: follower.customerId } : null),
  },
};

export const followerAccess: AccessRules = {
  // Followers are people: the list is scoped like customers (staff: their own).
  'Query.followers': { can: 'customers.read' },
  'Mutation.syncZaloFollowers': { can: 'workspace.edit' },
  'Customer.__resolveReference': {
    can: 'customers.read',
    customer: (ref: { id: string }) => ref.id,
  },
  'Customer.zaloFollower': { can: 'customers.read', customer: (c: { id: string }) => c.id },
  'Customer.zaloFollowerCount': { can: 'customers.read', customer: (c: { id: string }) => c.id },
  'ZaloFollower.__resolveReference': { can: 'customers.read' },
  'ZaloFollower.customer': {
    can: 'customers.read',
    customer: (f: { customerId: string | null }) => f.customerId,
  },
};
