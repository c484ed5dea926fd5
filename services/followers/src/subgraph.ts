import type { SubgraphModule } from '@customer-graph/runtime';
import type { Loaders } from './context';
import { CUSTOMER_DELETED, CUSTOMER_ZALO_LINKED } from '@customer-graph/runtime';
import { onCustomerZaloLinked } from './followers/customer-linked.handler';
import { onCustomerDeleted } from './followers/customer-deleted.handler';
import { ZaloFollowerEntity } from './followers/follower.entity';
import { createFollowerLoaders } from './followers/follower.loaders';
import { followerResolvers } from './followers/follower.resolvers';
import { pruneSeenDeliveries } from './followers/follower.ingest';
import { seedDemoFollowers } from './followers/follower.seed';
import { CreateZaloFollowers1763900000400 } from './migrations/1763900000400-CreateZaloFollowers';
import { CreateZaloOA1763900000410 } from './migrations/1763900000410-CreateZaloOA';
import { ZaloOAClaims1763900000420 } from './migrations/1763900000420-ZaloOAClaims';
import { ZaloWebhookReplay1763900000430 } from './migrations/1763900000430-ZaloWebhookReplay';
import { ZaloOAEntity } from './oa/oa.entity';
import { oaResolvers } from './oa/oa.resolvers';
import { sealLegacyOASecrets } from './oa/oa.secret';
import { zaloWebhook } from './webhook/zalo.webhook';

/** How often deliveries past the replay window are deleted. */
const PRUNE_EVERY_MS = 60_000;

export const followersSubgraph: SubgraphModule<Loaders> = {
  name: 'followers',
  resolvers: [followerResolvers, oaResolvers],
  entities: [ZaloFollowerEntity, ZaloOAEntity],
  migrations: [
    CreateZaloFollowers1763900000400,
    CreateZaloOA1763900000410,
    ZaloOAClaims1763900000420,
    ZaloWebhookReplay1763900000430,
  ],
  createLoaders: createFollowerLoaders,
  seedDemo: seedDemoFollowers,
  consumes: {
    [CUSTOMER_ZALO_LINKED]: onCustomerZaloLinked,
    [CUSTOMER_DELETED]: onCustomerDeleted,
  },
  routes: (db, logger, secrets) => ({ 'POST /webhooks/zalo': zaloWebhook(db, logger, secrets) }),
  startWorkers: (db, logger, secrets) => {
    // Not a worker: one pass at boot; stopping waits for it.
    const sealing = sealLegacyOASecrets(db, secrets, logger).catch((error: Error) =>
      logger.error('could not seal OA secrets kept in clear', { error: error.message }),
    );
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
        await Promise.all([sealing, pruning]);
      },
    };
  },
};
