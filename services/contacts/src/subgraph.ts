import type { SubgraphModule } from '@customer-graph/runtime';
import type { Loaders } from './context';
import { CustomerEntity } from './customers/customer.entity';
import { CustomerPhoneEntity } from './customers/customer-phone.entity';
import { createCustomerLoaders } from './customers/customer.loaders';
import { customerResolvers } from './customers/customer.resolvers';
import { seedDemoCustomers } from './customers/customer.seed';
import { CreateCustomers1763900000100 } from './migrations/1763900000100-CreateCustomers';

export const contactsSubgraph: SubgraphModule<Loaders> = {
  name: 'contacts',
  resolvers: [customerResolvers],
  entities: [CustomerEntity, CustomerPhoneEntity],
  migrations: [CreateCustomers1763900000100],
  createLoaders: createCustomerLoaders,
  seedDemo: seedDemoCustomers,
};
