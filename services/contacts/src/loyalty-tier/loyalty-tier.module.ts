// The customer's loyalty tier as orders-loyalty announces it
// (orders.customer.tier-changed), projected onto the record for the filter language
// (filter/filter.loyalty.ts) and the list's TIER sort. Nothing new on Customer: the
// tab is orders-loyalty's Customer.loyalty.
import { CUSTOMER_TIER_CHANGED } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { onTierChanged } from './tier-changed.handler';
import { CustomerLoyaltyTier1765100000100 } from './migrations/1765100000100-CustomerLoyaltyTier';

export const loyaltyTierModule: DomainModule = {
  name: 'loyalty-tier',
  migrations: [CustomerLoyaltyTier1765100000100],
  consumes: {
    [CUSTOMER_TIER_CHANGED]: onTierChanged,
  },
};
