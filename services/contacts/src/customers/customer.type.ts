// The customer type is derived, never typed in (seed 004): VISITOR knows nothing,
// LEAD has a name and a way to reach them, CUSTOMER is known to the seller's shop.
import type { CustomerRow } from './customer.entity';
import type { ExternalIdRow } from './external-id.entity';

export type CustomerType = 'VISITOR' | 'LEAD' | 'CUSTOMER';

export function customerType(
  customer: Pick<CustomerRow, 'name' | 'email'>,
  phoneCount: number,
  externalIds: Pick<ExternalIdRow, 'source'>[],
): CustomerType {
  if (externalIds.some((e) => e.source === 'SHOP')) return 'CUSTOMER';
  if (customer.name && (customer.email || phoneCount > 0)) return 'LEAD';
  return 'VISITOR';
}
