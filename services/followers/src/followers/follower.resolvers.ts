import { parsePage, requireRole } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { listFollowers, syncFollowers } from './follower.service';

export const followerResolvers: Resolvers = {
  Query: {
    followers: (_parent, { filter, ...args }, ctx) =>
      listFollowers(ctx.db, ctx.workspaceId, filter ?? {}, parsePage(args)),
  },
  Mutation: {
    syncZaloFollowers: (_parent, { followers }, ctx) => {
      requireRole(ctx.identity, ['admin', 'editor'], 'syncZaloFollowers');
      return syncFollowers(ctx.db, ctx.workspaceId, followers);
    },
  },
  Customer: {
    __resolveReference: (ref) => ({ id: ref.id }),
    zaloFollower: (customer, _args, ctx) => ctx.loaders.followers.byCustomer.load(customer.id),
  },
  ZaloFollower: {
    __resolveReference: (ref, ctx) => ctx.loaders.followers.byId.load(ref.id),
    customer: (follower) => (follower.customerId ? { id: follower.customerId } : null),
  },
};
