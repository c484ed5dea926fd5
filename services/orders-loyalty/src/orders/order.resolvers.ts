import { parsePage } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';

export const orderResolvers: Resolvers = {
  Customer: {
    // Contacts owns customers; this subgraph only needs the id to find its orders,
    // which are always filtered by the caller's workspace.
    __resolveReference: (ref) => ({ id: ref.id }),
    orders: (customer, args, ctx) =>
      ctx.loaders.orders.byCustomer(parsePage(args, 10)).load(customer.id),
  },
  Order: {
    __resolveReference: (ref, ctx) => ctx.loaders.orders.byId.load(ref.id),
    customer: (order) => ({ id: order.customerId }),
  },
};
