import type { SubgraphModule } from '@customer-graph/runtime';
import type { Loaders } from './context';
import { OrderEntity } from './orders/order.entity';
import { createOrderLoaders } from './orders/order.loaders';
import { orderResolvers } from './orders/order.resolvers';
import { seedDemoOrders } from './orders/order.seed';
import { CreateOrders1763900000200 } from './migrations/1763900000200-CreateOrders';

export const ordersLoyaltySubgraph: SubgraphModule<Loaders> = {
  name: 'orders-loyalty',
  resolvers: [orderResolvers],
  entities: [OrderEntity],
  migrations: [CreateOrders1763900000200],
  createLoaders: createOrderLoaders,
  seedDemo: seedDemoOrders,
};
