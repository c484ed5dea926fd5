// Privacy in orders-loyalty (issue 15, docs/privacy.md): erasing a person, and the
// orders' part of a person's data export.
import { CUSTOMER_ERASED, PERSON_EXPORT_REQUESTED } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { onCustomerErased } from './customer-erased.handler';
import { onPersonExportRequested } from './person-export.handler';
import { ErasureApplied1766300000200 } from './migrations/1766300000200-ErasureApplied';

export const privacyModule: DomainModule = {
  name: 'privacy',
  migrations: [ErasureApplied1766300000200],
  consumes: {
    [CUSTOMER_ERASED]: onCustomerErased,
    [PERSON_EXPORT_REQUESTED]: onPersonExportRequested,
  },
};
