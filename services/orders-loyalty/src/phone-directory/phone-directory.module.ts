// The phone directory: whose number each phone is, kept from contacts' events
// (contacts.customer.phones-changed, contacts.customer.deleted,
// contacts.customer.merged, and contacts.customer.buyer-matched, the answer to
// orders.buyer.seen), so orders can
// match an order's phone to a customer without reading contacts' tables. No GraphQL
// of its own; the orders module calls customerByPhone and joins the table for the
// same-number tab.
import type { DomainModule } from '@customer-graph/runtime';
import {
  CUSTOMER_BUYER_MATCHED,
  CUSTOMER_DELETED,
  CUSTOMER_MERGED,
  CUSTOMER_PHONES_CHANGED,
} from '@customer-graph/runtime';
import { onBuyerMatched } from './buyer-matched.handler';
import { onCustomerDeleted } from './customer-deleted.handler';
import { onCustomerMerged } from './customer-merged.handler';
import { CreatePhoneDirectory1763900000210 } from './migrations/1763900000210-CreatePhoneDirectory';
import { onPhonesChanged } from './phones-changed.handler';

export { customerByPhone } from './phone-directory.lookup';
export { lockPhoneMatching } from './phone-directory.lock';

export const phoneDirectoryModule: DomainModule = {
  name: 'phoneDirectory',
  migrations: [CreatePhoneDirectory1763900000210],
  consumes: {
    [CUSTOMER_PHONES_CHANGED]: onPhonesChanged,
    [CUSTOMER_DELETED]: onCustomerDeleted,
    [CUSTOMER_BUYER_MATCHED]: onBuyerMatched,
    [CUSTOMER_MERGED]: onCustomerMerged,
  },
};
