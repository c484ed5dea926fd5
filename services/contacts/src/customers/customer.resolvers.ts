import { normalisePhone, parsePage } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { listCustomers } from './customer.service';
import { customerType } from './customer.type';

export const customerResolvers: Resolvers = {
  Query: {
    customer: (_parent, { id }, ctx) => ctx.loaders.customerById.load(id),
    customers: (_parent, args, ctx) => listCustomers(ctx.db, ctx.workspaceId, parsePage(args)),
    customerByPhone: async (_parent, { phone }, ctx) => {
      const { e164 } = normalisePhone(phone, 'phone');
      const owner = await ctx.loaders.customerIdByPhone.load(e164);
      return owner ? ctx.loaders.customerById.load(owner) : null;
    },
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
        e164: p.e164,
        primary: p.position === 0,
      })),
    type: async (customer, _args, ctx) => {
      const [phones, ids] = await Promise.all([
        ctx.loaders.phonesByCustomer.load(customer.id),
        ctx.loaders.externalIdsByCustomer.load(customer.id),
      ]);
      return customerType(customer, phones.length, ids);
    },
    externalIds: async (customer, _args, ctx) =>
      (await ctx.loaders.externalIdsByCustomer.load(customer.id)).map((e) => ({
        source: e.source,
        id: e.externalId,
      })),
  },
};
