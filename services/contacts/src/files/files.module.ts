// Files kept for a day (uploads, exports, import error files, a person's data export):
// the store (file.store.ts), the routes the gateway forwards /files to
// (file.routes.ts), and the worker deleting expired files.
import { startPeriodic } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { fileRoutes } from './file.routes';
import { pruneExpiredFiles } from './file.store';
import { StoredFiles1766000000100 } from './migrations/1766000000100-StoredFiles';

/** How often expired files are looked for. */
const PRUNE_EVERY_MS = 10 * 60_000;

export const filesModule: DomainModule = {
  name: 'files',
  migrations: [StoredFiles1766000000100],
  routes: (resources) => fileRoutes(resources),
  // Batches of 100 until none is left; a failed pass is retried at the next one.
  workers: ({ db, logger }) =>
    startPeriodic({
      everyMs: PRUNE_EVERY_MS,
      pass: async () => (await pruneExpiredFiles(db)) > 0,
      failed: (error) => logger.error('could not delete expired files', { error: error.message }),
    }),
};
