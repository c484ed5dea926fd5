import type { SubgraphModule } from '@customer-graph/runtime';
import type { Loaders } from './context';
import { CustomerEntity } from './customers/customer.entity';
import { CustomerPhoneEntity } from './customers/customer-phone.entity';
import { ExternalIdEntity } from './customers/external-id.entity';
import { createCustomerLoaders } from './customers/customer.loaders';
import { customerResolvers } from './customers/customer.resolvers';
import { seedDemoCustomers } from './customers/customer.seed';
import { CreateCustomers1763900000100 } from './migrations/1763900000100-CreateCustomers';
import { PhoneOwnerAndExternalIds1763900000110 } from './migrations/1763900000110-PhoneOwnerAndExternalIds';
import { DeferPhoneOwnerCheck1763900000120 } from './migrations/1763900000120-DeferPhoneOwnerCheck';
import { onPhoneShared } from './zalo/phone-shared.handler';
import { PHONE_SHARED } from './zalo/zalo.events';

export const contactsSubgraph: SubgraphModule<Loaders> = {
  name: 'contacts',
  resolvers: [customerResolvers],
  entities: [CustomerEntity, CustomerPhoneEntity, ExternalIdEntity],
  migrations: [
    CreateCustomers1763900000100,
    PhoneOwnerAndExternalIds1763900000110,
    DeferPhoneOwnerCheck1763900000120,
  ],
  createLoaders: createCustomerLoaders,
  seedDemo: seedDemoCustomers,
  consumes: { [PHONE_SHARED]: onPhoneShared },
};
