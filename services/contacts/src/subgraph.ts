// The contacts subgraph: the customer record and what is done with it, one domain
// module per folder.
import { defineSubgraph } from '@customer-graph/runtime';
import type { Loaders } from './context';
import { ownedAssignments } from './customers/customer.assignments';
import { customersModule } from './customers/customers.module';
import { notesModule } from './notes/notes.module';
import { customFieldsModule } from './custom-fields/custom-fields.module';
import { listsModule } from './lists/lists.module';
import { bulkModule } from './bulk/bulk.module';
import { groupsModule } from './groups/groups.module';
import { viewsModule } from './views/views.module';
import { zaloModule } from './zalo/zalo.module';
import { buyersModule } from './buyers/buyers.module';
import { loyaltyTierModule } from './loyalty-tier/loyalty-tier.module';
import { duplicatesModule } from './duplicates/duplicates.module';
import { tasksModule } from './tasks/tasks.module';
import { opportunitiesModule } from './opportunities/opportunities.module';
import { callsModule } from './calls/calls.module';
import { mergeModule } from './merge/merge.module';
import { consentModule } from './consent/consent.module';
import { audienceModule } from './audience/audience.module';
import { importsModule } from './imports/imports.module';
import { filesModule } from './files/files.module';
import { auditModule } from './audit/audit.module';
import { storeAuditEntry } from './audit/audit.store';
import { privacyModule } from './privacy/privacy.module';
import { exportsModule } from './exports/exports.module';
import { analyticsModule } from './analytics/analytics.module';
import { CreateCustomers1763900000100 } from './migrations/1763900000100-CreateCustomers';
import { PhoneOwnerAndExternalIds1763900000110 } from './migrations/1763900000110-PhoneOwnerAndExternalIds';
import { DeferPhoneOwnerCheck1763900000120 } from './migrations/1763900000120-DeferPhoneOwnerCheck';
import { CustomerRecord1763900000130 } from './migrations/1763900000130-CustomerRecord';
import { FieldsListsJobsViews1763900000140 } from './migrations/1763900000140-FieldsListsJobsViews';
import { AnnounceAssignments1763900000150 } from './migrations/1763900000150-AnnounceAssignments';
import { CustomerTypeRule1763900000160 } from './migrations/1763900000160-CustomerTypeRule';
import { AnnouncePhones1763900000170 } from './migrations/1763900000170-AnnouncePhones';
import { WorkspaceView1763900000175 } from './migrations/1763900000175-WorkspaceView';
import { CustomerHasPhone1766500000100 } from './migrations/1766500000100-CustomerHasPhone';

export const contactsSubgraph = defineSubgraph<Loaders>({
  name: 'contacts',
  assignments: { owned: ownedAssignments },
  // recordAudit writes contacts' entries into its audit_entry table (docs/audit.md).
  auditSink: storeAuditEntry,
  // The service's migrations: one file may create or change several modules' tables.
  migrations: [
    CreateCustomers1763900000100,
    PhoneOwnerAndExternalIds1763900000110,
    DeferPhoneOwnerCheck1763900000120,
    CustomerRecord1763900000130,
    FieldsListsJobsViews1763900000140,
    AnnounceAssignments1763900000150,
    CustomerTypeRule1763900000160,
    AnnouncePhones1763900000170,
    WorkspaceView1763900000175,
    CustomerHasPhone1766500000100,
  ],
  modules: [
    customersModule,
    notesModule,
    customFieldsModule,
    listsModule,
    bulkModule,
    groupsModule,
    viewsModule,
    zaloModule,
    buyersModule,
    loyaltyTierModule,
    duplicatesModule,
    tasksModule,
    opportunitiesModule,
    callsModule,
    mergeModule,
    consentModule,
    audienceModule,
    importsModule,
    filesModule,
    auditModule,
    privacyModule,
    exportsModule,
    analyticsModule,
  ],
});
