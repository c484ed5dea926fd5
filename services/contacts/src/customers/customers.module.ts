// The customer record: the list, filters, create and update, and `Customer` itself.
import type { DomainModule } from '@customer-graph/runtime';
import { CustomerEntity } from './customer.entity';
import { CustomerPhoneEntity } from './customer-phone.entity';
import { ExternalIdEntity } from './external-id.entity';
import { createCustomerLoaders } from './customer.loaders';
import { customerResolvers, customerAccess } from './customer.resolvers';
import { seedDemoCustomers } from './customer.seed';

export const customersModule: DomainModule = {
  name: 'customers',
  resolvers: [customerResolvers],
  access: customerAccess,
  entities: [CustomerEntity, CustomerPhoneEntity, ExternalIdEntity],
  loaders: createCustomerLoaders,
  seedDemo: seedDemoCustomers,
};
