// The orders-loyalty subgraph: a customer's purchases, loyalty, vouchers and reviews,
// one domain module per folder.
import { defineSubgraph } from '@customer-graph/runtime';
import type { Loaders } from './context';
import { followerOrdersModule } from './follower-orders/follower-orders.module';
import { importsModule } from './imports/imports.module';
import { loyaltyModule } from './loyalty/loyalty.module';
import { ordersModule } from './orders/orders.module';
import { phoneDirectoryModule } from './phone-directory/phone-directory.module';
import { reviewsModule } from './reviews/reviews.module';
import { shopsModule } from './shops/shops.module';
import { vouchersModule } from './vouchers/vouchers.module';
import { privacyModule } from './privacy/privacy.module';
import { analyticsModule } from './analytics/analytics.module';
import { CreateOrders1763900000200 } from './migrations/1763900000200-CreateOrders';

export const ordersLoyaltySubgraph = defineSubgraph<Loaders>({
  name: 'orders-loyalty',
  // Staff assignments come from contacts' events (a projection of its own).
  assignments: 'projected',
  // Written before the modules.
  migrations: [CreateOrders1763900000200],
  // The directory first: orders' handlers of the same events read what it just learnt.
  // Loyalty before orders: on a merge the ledgers move before the orders do.
  modules: [
    phoneDirectoryModule,
    loyaltyModule,
    ordersModule,
    followerOrdersModule,
    shopsModule,
    importsModule,
    reviewsModule,
    vouchersModule,
    privacyModule,
    analyticsModule,
  ],
});
