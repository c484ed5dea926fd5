// Bulk actions: on up to 100 ids at once, or over a whole filter as a background job
// that survives restarts (deleting customers included).
import type { DomainModule } from '@customer-graph/runtime';
import { BulkJobEntity } from './bulk-job.entity';
import { startBulkJobWorker } from './bulk-job.service';
import { bulkResolvers, bulkAccess } from './bulk.resolvers';

export const bulkModule: DomainModule = {
  name: 'bulk',
  resolvers: [bulkResolvers],
  access: bulkAccess,
  entities: [BulkJobEntity],
  workers: ({ db, logger }) => startBulkJobWorker(db, logger),
};
