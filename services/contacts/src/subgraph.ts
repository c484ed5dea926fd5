import type { SubgraphModule } from '@customer-graph/runtime';
import { FOLLOWER_PHONE_SHARED } from '@customer-graph/runtime';
import type { Loaders } from './context';
import { CustomerEntity } from './customers/customer.entity';
import { CustomerPhoneEntity } from './customers/customer-phone.entity';
import { ExternalIdEntity } from './customers/external-id.entity';
import { createCustomerLoaders } from './customers/customer.loaders';
import { customerResolvers } from './customers/customer.resolvers';
import { seedDemoCustomers } from './customers/customer.seed';
import { CustomFieldEntity } from './custom-fields/custom-field.entity';
import { customFieldResolvers } from './custom-fields/custom-field.resolvers';
import { CustomerNoteEntity } from './notes/note.entity';
import { noteResolvers } from './notes/note.resolvers';
import { CustomerListEntity } from './lists/list.entity';
import { listResolvers } from './lists/list.resolvers';
import { BulkJobEntity } from './bulk/bulk-job.entity';
import { bulkResolvers } from './bulk/bulk.resolvers';
import { startJobWorker } from './bulk/bulk-job.service';
import { phoneGroupResolvers } from './groups/phone-group.resolvers';
import { userViewResolvers } from './views/user-view.resolvers';
import { CreateCustomers1763900000100 } from './migrations/1763900000100-CreateCustomers';
import { PhoneOwnerAndExternalIds1763900000110 } from './migrations/1763900000110-PhoneOwnerAndExternalIds';
import { DeferPhoneOwnerCheck1763900000120 } from './migrations/1763900000120-DeferPhoneOwnerCheck';
import { CustomerRecord1763900000130 } from './migrations/1763900000130-CustomerRecord';
import { FieldsListsJobsViews1763900000140 } from './migrations/1763900000140-FieldsListsJobsViews';
import { onPhoneShared } from './zalo/phone-shared.handler';

export const contactsSubgraph: SubgraphModule<Loaders> = {
  name: 'contacts',
  resolvers: [
    customerResolvers,
    noteResolvers,
    customFieldResolvers,
    listResolvers,
    bulkResolvers,
    phoneGroupResolvers,
    userViewResolvers,
  ],
  entities: [
    CustomerEntity,
    CustomerPhoneEntity,
    ExternalIdEntity,
    CustomerNoteEntity,
    CustomFieldEntity,
    CustomerListEntity,
    BulkJobEntity,
  ],
  migrations: [
    CreateCustomers1763900000100,
    PhoneOwnerAndExternalIds1763900000110,
    DeferPhoneOwnerCheck1763900000120,
    CustomerRecord1763900000130,
    FieldsListsJobsViews1763900000140,
  ],
  createLoaders: createCustomerLoaders,
  seedDemo: seedDemoCustomers,
  consumes: { [FOLLOWER_PHONE_SHARED]: onPhoneShared },
  startWorkers: (db, logger) => startJobWorker(db, logger),
};
