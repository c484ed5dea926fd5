import { parsePage } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { listCustomers } from './customer.service';

export const customerResolvers: Resolvers = {
  Query: {
    customer: (_parent, { id }, ctx) => ctx.loaders.customerById.load(id),
    customers: (_parent, args, ctx) => listCustomers(ctx.db, ctx.workspaceId, parsePage(args)),
  },
  Customer: {
    // Through the loader, so the gateway's batched `_entities` costs one query, and
    // scoped to the caller's workspace: another workspace's id resolves to null.
    __resolveReference: (ref, ctx) => ctx.loaders.customerById.load(ref.id),
    phone: async (customer, _args, ctx) =>
      (await ctx.loaders.phonesByCustomer.load(customer.id))[0]?.number ?? null,
    phones: async (customer, _args, ctx) =>
      (await ctx.loaders.phonesByCustomer.load(customer.id)).map((p) => ({
        number: p.number,
        primary: p.position === 0,
      })),
  },
};
