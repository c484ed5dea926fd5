// Customers as orders see them: a buyer's phone found or made a customer
// (orders.buyer.seen → contacts.customer.buyer-matched), and the customer's purchases
// in figures projected onto the record (orders.customer.summary-changed), which the
// filter language and the list's sort read (filter/filter.orders.ts).
import { BUYER_SEEN, CUSTOMER_SUMMARY_CHANGED } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { onBuyerSeen } from './buyer-seen.handler';
import { onSummaryChanged } from './summary-changed.handler';
import { CustomerOrderFigures1763900000180 } from './migrations/1763900000180-CustomerOrderFigures';

export const buyersModule: DomainModule = {
  name: 'buyers',
  migrations: [CustomerOrderFigures1763900000180],
  consumes: {
    [BUYER_SEEN]: onBuyerSeen,
    [CUSTOMER_SUMMARY_CHANGED]: onSummaryChanged,
  },
};
