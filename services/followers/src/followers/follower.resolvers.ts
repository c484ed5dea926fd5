import { pageOf } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { FOLLOWERS_NEWEST_FIRST, listFollowers, syncFollowers } from './follower.service';
import { FOLLOWERS_NEWEST_LINK_FIRST } from './follower.loaders';

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
    zaloFollowers: (customer, args, ctx, info) =>
      ctx.loaders.followers
        .byCustomerPage(pageOf(args, info, FOLLOWERS_NEWEST_LINK_FIRST))
        .load(customer.id),
    zaloFollowerCount: (customer, _args, ctx) =>
      ctx.loaders.followers.countByCustomer.load(customer.id),
  },
  ZaloFollower: {
    __resolveReference: (ref, ctx) => ctx.loaders.followers.byId.load(ref.id),
    customer: (follower) => (follower.customerId ? { id: follower.customerId } : null),
    linkedAt: (follower) => (follower.customerId ? follower.linkedAt : null),
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
  // Every follower of a customer the caller may see is the caller's to see.
  'Customer.zaloFollowers': { can: 'customers.read', customer: (c: { id: string }) => c.id },
  'Customer.zaloFollowerCount': { can: 'customers.read', customer: (c: { id: string }) => c.id },
  'ZaloFollower.__resolveReference': { can: 'customers.read' },
  'ZaloFollower.customer': {
    can: 'customers.read',
    customer: (f: { customerId: string | null }) => f.customerId,
  },
  'ZaloFollower.linkedAt': { inherit: 'a field of a follower already checked' },
};
