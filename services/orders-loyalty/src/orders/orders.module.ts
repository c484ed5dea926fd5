// Orders: the Orders tab (`Customer.orders`), the same-number tab
// (`Customer.sameNumberOrders`), `Order` itself, `Query.order(s)`, `upsertOrders` for
// shop connectors and `attachOrder`; matching by phone and the events it publishes.
import {
  CUSTOMER_BUYER_MATCHED,
  CUSTOMER_DELETED,
  CUSTOMER_MERGED,
  CUSTOMER_PHONES_CHANGED,
} from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import {
  attachOnBuyerMatched,
  attachOnPhonesChanged,
  detachOnCustomerDeleted,
} from './order.matching';
import { moveOnCustomerMerged } from './order.merge';
import { OrderEntity } from './order.entity';
import { createOrderLoaders } from './order.loaders';
import { orderAccess, orderResolvers } from './order.resolvers';
import { seedDemoOrders } from './order.seed';
import { EvolveOrders1764400000000 } from './migrations/1764400000000-EvolveOrders';
import { OrderEvents1764510000000 } from './migrations/1764510000000-OrderEvents';
import { AnnounceOrderSummaries1764510000100 } from './migrations/1764510000100-AnnounceOrderSummaries';
import { KeptOrderFigures1766610000100 } from './migrations/1766610000100-KeptOrderFigures';

export const ordersModule: DomainModule = {
  name: 'orders',
  resolvers: [orderResolvers],
  access: orderAccess,
  entities: [OrderEntity],
  migrations: [
    EvolveOrders1764400000000,
    OrderEvents1764510000000,
    AnnounceOrderSummaries1764510000100,
    KeptOrderFigures1766610000100,
  ],
  loaders: createOrderLoaders,
  seedDemo: seedDemoOrders,
  // After the phone directory's own handlers (listed before this module).
  consumes: {
    [CUSTOMER_PHONES_CHANGED]: attachOnPhonesChanged,
    [CUSTOMER_DELETED]: detachOnCustomerDeleted,
    [CUSTOMER_BUYER_MATCHED]: attachOnBuyerMatched,
    [CUSTOMER_MERGED]: moveOnCustomerMerged,
  },
};
