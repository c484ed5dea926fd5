// The orders-loyalty subgraph: a customer's purchases and vouchers (later loyalty and
// reviews), one domain module per folder.
import { defineSubgraph } from '@customer-graph/runtime';
import type { Loaders } from './context';
import { followerOrdersModule } from './follower-orders/follower-orders.module';
import { importsModule } from './imports/imports.module';
import { ordersModule } from './orders/orders.module';
import { phoneDirectoryModule } from './phone-directory/phone-directory.module';
import { reviewsModule } from './reviews/reviews.module';
import { shopsModule } from './shops/shops.module';
import { vouchersModule } from './vouchers/vouchers.module';
import { CreateOrders1763900000200 } from './migrations/1763900000200-CreateOrders';

export const ordersLoyaltySubgraph = defineSubgraph<Loaders>({
  name: 'orders-loyalty',
  // Staff assignments come from contacts' events (a projection of its own).
  assignments: 'projected',
  // Written before the modules.
  migrations: [CreateOrders1763900000200],
  // The directory first: orders' handlers of the same events read what it just learnt.
  modules: [
    phoneDirectoryModule,
    ordersModule,
    followerOrdersModule,
    shopsModule,
    importsModule,
    reviewsModule,
    vouchersModule,
  ],
});
