import { pageOf } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { ORDERS_NEWEST_FIRST } from './order.loaders';

export const orderResolvers: Resolvers = {
  Customer: {
    // Contacts owns customers; this subgraph only needs the id to find its orders,
    // which are always filtered by the caller's workspace (and the caller's access,
    // by the rules below).
    __resolveReference: (ref) => ({ id: ref.id }),
    orders: (customer, args, ctx, info) =>
      ctx.loaders.orders.byCustomer(pageOf(args, info, ORDERS_NEWEST_FIRST)).load(customer.id),
  },
  Order: {
    __resolveReference: (ref, ctx) => ctx.loaders.orders.byId.load(ref.id),
    customer: (order) => ({ id: order.customerId }),
  },
};

export const orderAccess: AccessRules = {
  'Customer.__resolveReference': {
    can: 'customers.read',
    customer: (ref: { id: string }) => ref.id,
  },
  'Customer.orders': { can: 'customers.read', customer: (c: { id: string }) => c.id },
  // By id: the loader keeps only orders of customers the caller sees.
  'Order.__resolveReference': { can: 'customers.read' },
  'Order.customer': {
    can: 'customers.read',
    customer: (o: { customerId: string }) => o.customerId,
  },
};
