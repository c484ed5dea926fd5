// Shops: the marketplace shops connected to a workspace (connectShop, sealed partner
// keys) and their order-status pushes (POST /webhooks/shopee), applied to orders
// through the orders module's upsert rule.
import type { DomainModule } from '@customer-graph/runtime';
import { ShopConnectionEntity } from './shop.entity';
import { shopAccess, shopResolvers } from './shop.resolvers';
import { pruneSeenPushes } from './shopee.ingest';
import { shopeeWebhook } from './shopee.webhook';
import { ShopConnections1764600000300 } from './migrations/1764600000300-ShopConnections';

/** How often deliveries past the replay window are deleted. */
const PRUNE_EVERY_MS = 60_000;

export const shopsModule: DomainModule = {
  name: 'shops',
  resolvers: [shopResolvers],
  access: shopAccess,
  entities: [ShopConnectionEntity],
  migrations: [ShopConnections1764600000300],
  routes: ({ db, logger, secrets, publicWebhookBaseUrl }) => ({
    'POST /webhooks/shopee': shopeeWebhook(
      db,
      logger,
      secrets,
      `${publicWebhookBaseUrl}/webhooks/shopee`,
    ),
  }),
  workers: ({ db, logger }) => {
    // Deliveries too old to be accepted again need no remembering; a failed pass is
    // retried at the next tick (the table only grows meanwhile).
    let pruning: Promise<unknown> = Promise.resolve();
    const pruner = setInterval(() => {
      pruning = pruneSeenPushes(db).catch((error: Error) =>
        logger.error('could not prune seen Shopee pushes', { error: error.message }),
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
