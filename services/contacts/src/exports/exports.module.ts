// Exports of many customers (a filter, a saved list, a split group) to CSV or JSON
// Lines files, written in the background into the file store (docs/exports.md).
import type { DomainModule } from '@customer-graph/runtime';
import { exportAccess, exportResolvers } from './export.resolvers';
import { startExportWorker } from './export.worker';
import { ExportJobs1766200000100 } from './migrations/1766200000100-ExportJobs';

export const exportsModule: DomainModule = {
  name: 'exports',
  resolvers: [exportResolvers],
  access: exportAccess,
  migrations: [ExportJobs1766200000100],
  workers: ({ db, logger }) => startExportWorker(db, logger),
};
