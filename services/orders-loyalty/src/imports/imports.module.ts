// CSV imports of order exports (Shopee, Lazada, Sapo, KiotViet, Haravan …): queued by
// importOrdersCsv, run in the background by a worker that survives restarts and
// takes turns between workspaces, written through upsertOrders.
import type { DomainModule } from '@customer-graph/runtime';
import { OrderImportEntity } from './import.entity';
import { startImportWorker } from './import.job';
import { createImportLoaders } from './import.loaders';
import { importAccess, importResolvers } from './import.resolvers';
import { CreateOrderImports1764600000310 } from './migrations/1764600000310-CreateOrderImports';

export const importsModule: DomainModule = {
  name: 'imports',
  resolvers: [importResolvers],
  access: importAccess,
  entities: [OrderImportEntity],
  migrations: [CreateOrderImports1764600000310],
  loaders: createImportLoaders,
  workers: ({ db, logger }) => startImportWorker(db, logger),
};
