// Orders: the Orders tab (`Customer.orders`) and `Order` itself.
import type { DomainModule } from '@customer-graph/runtime';
import { OrderEntity } from './order.entity';
import { createOrderLoaders } from './order.loaders';
import { orderAccess, orderResolvers } from './order.resolvers';
import { seedDemoOrders } from './order.seed';

export const ordersModule: DomainModule = {
  name: 'orders',
  resolvers: [orderResolvers],
  access: orderAccess,
  entities: [OrderEntity],
  loaders: createOrderLoaders,
  seedDemo: seedDemoOrders,
};
