// The customer record: the list, filters, create and update, and `Customer` itself.
import { startPeriodic } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { foldCustomerCounts } from './customer.count';
import { CustomerCounts1766200000100 } from './migrations/1766200000100-CustomerCounts';
import { CustomerEntity } from './customer.entity';
import { CustomerPhoneEntity } from './customer-phone.entity';
import { ExternalIdEntity } from './external-id.entity';
import { createCustomerLoaders } from './customer.loaders';
import { customerResolvers, customerAccess } from './customer.resolvers';
import { seedDemoCustomers } from './customer.seed';

const FOLD_COUNTS_EVERY_MS = 60_000;

export const customersModule: DomainModule = {
  name: 'customers',
  resolvers: [customerResolvers],
  access: customerAccess,
  entities: [CustomerEntity, CustomerPhoneEntity, ExternalIdEntity],
  loaders: createCustomerLoaders,
  seedDemo: seedDemoCustomers,
  migrations: [CustomerCounts1766200000100],
  // Each insert or delete statement adds a row to customer_count; a minute's rows are
  // folded into one per workspace.
  workers: ({ db, logger }) =>
    startPeriodic({
      everyMs: FOLD_COUNTS_EVERY_MS,
      pass: async () => {
        await foldCustomerCounts(db);
        return false; // one statement folds everything: nothing waits for a next pass
      },
      failed: (error) => logger.error('could not fold customer counts', { error: error.message }),
    }),
};
