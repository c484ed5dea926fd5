// Orders: the Orders tab (`Customer.orders`), `Order` itself, `Query.order(s)` and
// `upsertOrders` for shop connectors.
import { CUSTOMER_DELETED, CUSTOMER_PHONES_CHANGED } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { attachOnPhonesChanged, detachOnCustomerDeleted } from './order.matching';
import { OrderEntity } from './order.entity';
import { createOrderLoaders } from './order.loaders';
import { orderAccess, orderResolvers } from './order.resolvers';
import { seedDemoOrders } from './order.seed';
import { EvolveOrders1764400000000 } from './migrations/1764400000000-EvolveOrders';

export const ordersModule: DomainModule = {
  name: 'orders',
  resolvers: [orderResolvers],
  access: orderAccess,
  entities: [OrderEntity],
  migrations: [EvolveOrders1764400000000],
  loaders: createOrderLoaders,
  seedDemo: seedDemoOrders,
  // After the phone directory's own handlers (listed before this module).
  consumes: {
    [CUSTOMER_PHONES_CHANGED]: attachOnPhonesChanged,
    [CUSTOMER_DELETED]: detachOnCustomerDeleted,
  },
};
