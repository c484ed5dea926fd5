import { parsePage } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { listFollowers } from './follower.service';

export const followerResolvers: Resolvers = {
  Query: {
    followers: (_parent, args, ctx) => listFollowers(ctx.db, ctx.workspaceId, parsePage(args)),
  },
  Customer: {
    __resolveReference: (ref) => ({ id: ref.id }),
    zaloFollower: (customer, _args, ctx) => ctx.loaders.followerByCustomer.load(customer.id),
  },
  ZaloFollower: {
    __resolveReference: (ref, ctx) => ctx.loaders.followerById.load(ref.id),
    customer: (follower) => (follower.customerId ? { id: follower.customerId } : null),
  },
};
