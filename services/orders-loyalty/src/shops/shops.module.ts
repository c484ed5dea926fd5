// Shops: the marketplace shops connected to a workspace (connectShop, sealed partner
// keys) and their order-status pushes (POST /webhooks/shopee), applied to orders
// through the orders module's upsert rule.
import { startPeriodic } from '@customer-graph/runtime';
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
  // Deliveries too old to be accepted again need no remembering; a failed pass is
  // retried at the next one (the table only grows meanwhile).
  workers: ({ db, logger }) =>
    startPeriodic({
      everyMs: PRUNE_EVERY_MS,
      delayFirst: true,
      pass: () => pruneSeenPushes(db),
      failed: (error) =>
        logger.error('could not prune seen Shopee pushes', { error: error.message }),
    }),
};
