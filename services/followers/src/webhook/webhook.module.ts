// POST /webhooks/zalo: the OA's events, verified, fresh, applied once.
import { startPeriodic } from '@customer-graph/runtime';
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
  // Deliveries too old to be accepted again need no remembering; a failed pass is
  // retried at the next one (the table only grows meanwhile).
  workers: ({ db, logger }) =>
    startPeriodic({
      everyMs: PRUNE_EVERY_MS,
      delayFirst: true,
      pass: () => pruneSeenDeliveries(db),
      failed: (error) =>
        logger.error('could not prune seen Zalo deliveries', { error: error.message }),
    }),
};
