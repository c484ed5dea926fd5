// POST /webhooks/zalo: the OA's events, verified, fresh, applied once.
import type { DomainModule } from '@customer-graph/runtime';
import { pruneSeenDeliveries } from '../followers/follower.ingest';
import { zaloWebhook } from './zalo.webhook';

/** How often deliveries past the replay window are deleted. */
const PRUNE_EVERY_MS = 60_000;

export const webhookModule: DomainModule = {
  name: 'webhook',
  routes: ({ db, logger, secrets }) => ({
    'POST /webhooks/zalo': zaloWebhook(db, logger, secrets),
  }),
  workers: ({ db, logger }) => {
    // Deliveries too old to be accepted again need no remembering; a failed pass is
    // retried at the next tick (the table only grows meanwhile).
    let pruning: Promise<unknown> = Promise.resolve();
    const pruner = setInterval(() => {
      pruning = pruneSeenDeliveries(db).catch((error: Error) =>
        logger.error('could not prune seen Zalo deliveries', { error: error.message }),
      );
    }, PRUNE_EVERY_MS);
    pruner.unref();
    return {
      stop: async () => {
        clearInterval(pruner);
        await pruning;
      },
    };
  },
};
