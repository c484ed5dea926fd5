import { pageOf } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { ORDERS_NEWEST_FIRST } from './order.loaders';
import { attachOrder } from './order.attach';
import { listOrders } from './order.list';
import { upsertOrders } from './order.upsert';

export const orderResolvers: Resolvers = {
  Customer: {
    // Contacts owns customers; this subgraph only needs the id to find its orders,
    // which are always filtered by the caller's workspace (and the caller's access,
    // by the rules below). A merged customer's id names its survivor (docs/merge.md).
    __resolveReference: async (ref, ctx) => ({
      id: await ctx.loaders.customerAccess.currentId.load(ref.id),
    }),
    orderSummary: (customer, _args, ctx) => ctx.loaders.orders.summary.load(customer.id),
    orders: (customer, args, ctx, info) => ctx.loaders.orders.tab(args, info).load(customer.id),
    sameNumberOrders: async (customer, args, ctx, info) => {
      const page = pageOf(args, info, ORDERS_NEWEST_FIRST);
      const { sameNumber } = ctx.loaders.orders;
      const connection = await sameNumber.page(page).load(customer.id);
      return { ...connection, count: () => sameNumber.count.load(customer.id) };
    },
  },
  Query: {
    order: (_root, { id }, ctx) => ctx.loaders.orders.byId.load(id),
    orders: (_root, args, ctx, info) =>
      listOrders(ctx.db, ctx.workspaceId, ctx.access.scope, args, info),
  },
  Mutation: {
    upsertOrders: (_root, { orders }, ctx) =>
      upsertOrders(ctx.db, ctx.workspaceId, ctx.access, orders),
    // A merged customer's id names its survivor (customer-merges.ts).
    attachOrder: async (_root, { orderId, customerId }, ctx) =>
      attachOrder(
        ctx.db,
        ctx.workspaceId,
        ctx.access,
        orderId,
        await ctx.loaders.customerAccess.currentId.load(customerId),
      ),
  },
  OrderConnection: {
    totalCount: (page) => page.count(),
  },
  Order: {
    __resolveReference: (ref, ctx) => ctx.loaders.orders.byId.load(ref.id),
    customer: (order) => (order.customerId ? { id: order.customerId } : null),
    updatedAt: (order) => order.sourceUpdatedAt,
    shipping: (order) => ({
      address: order.shippingAddress,
      carrier: order.shippingCarrier,
      trackingCode: order.trackingCode,
      fee: order.shippingFee,
    }),
    statusHistory: (order, _args, ctx) => ctx.loaders.orders.history.load(order.id),
  },
};

export const orderAccess: AccessRules = {
  'Customer.__resolveReference': {
    can: 'customers.read',
    customer: (ref: { id: string }) => ref.id,
  },
  'Customer.orders': { can: 'customers.read', customer: (c: { id: string }) => c.id },
  'Customer.orderSummary': { can: 'customers.read', customer: (c: { id: string }) => c.id },
  // Rows scoped in SQL by the order's own customer (order.same-number.ts).
  'Customer.sameNumberOrders': { can: 'customers.read', customer: (c: { id: string }) => c.id },
  // The loader keeps only orders the caller sees (none of no customer for staff).
  'Query.order': { can: 'customers.read' },
  // Scoped in SQL (projectedScopeSql).
  'Query.orders': { can: 'customers.read' },
  // Shop connectors and scripts: the workspace's admins and editors.
  'Mutation.upsertOrders': { can: 'workspace.edit' },
  // The service checks that the caller sees both the customer and the order's current one.
  'Mutation.attachOrder': { can: 'customers.write' },
  'OrderConnection.totalCount': { inherit: 'counts the list its parent field scoped' },
  'Order.__resolveReference': { can: 'customers.read' },
  'Order.customer': {
    can: 'customers.read',
    customer: (o: { customerId: string | null }) => o.customerId,
  },
  'Order.updatedAt': { inherit: 'a field of an order already checked' },
  'Order.shipping': { inherit: 'a field of an order already checked' },
  'Order.statusHistory': { inherit: 'a field of an order already checked' },
};
