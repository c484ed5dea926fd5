// Customer imports (CSV and XLSX files of customers, seed 001): queued by
// startCustomerImport, run in the background by a worker that survives restarts and
// takes turns between workspaces, written set-wise by import.upsert.ts.
import type { DomainModule } from '@customer-graph/runtime';
import { CustomerImportEntity } from './import.entity';
import { startImportWorker } from './import.job';
import { createCustomerImportLoaders } from './import.loaders';
import { importAccess, importResolvers } from './import.resolvers';
import { CreateCustomerImports1766100000200 } from './migrations/1766100000200-CreateCustomerImports';
import { CustomerTypeOfFacts1766100000300 } from './migrations/1766100000300-CustomerTypeOfFacts';

export const importsModule: DomainModule = {
  name: 'imports',
  resolvers: [importResolvers],
  access: importAccess,
  entities: [CustomerImportEntity],
  migrations: [CreateCustomerImports1766100000200, CustomerTypeOfFacts1766100000300],
  loaders: createCustomerImportLoaders,
  workers: ({ db, logger }) => startImportWorker(db, logger),
};
