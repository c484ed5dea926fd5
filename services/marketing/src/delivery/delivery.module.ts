// Delivery reports (docs/marketing.md, "Delivery events"): the email and SMS
// providers' webhooks (POST /webhooks/email, /webhooks/sms, through the gateway) and
// Zalo's received/seen statuses relayed by followers, applied to the messages'
// timelines and statuses; an unsubscribe or complaint opts the customer out (consent/).
import { startPeriodic, ZALO_MESSAGE_STATUS } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { deliveryWebhook, pruneDeliveries } from './delivery.webhook';
import { DELIVERY_FRESHNESS_MS } from './delivery.wire';
import { onZaloMessageStatus } from './zalo-status.handler';
import { DeliveryEvents1765400000000 } from './migrations/1765400000000-DeliveryEvents';

/** How often deliveries past the replay window are forgotten. */
const PRUNE_EVERY_MS = 60_000;

export const deliveryModule: DomainModule = {
  name: 'delivery',
  migrations: [DeliveryEvents1765400000000],
  routes: ({ db, logger, emailWebhookSecret, smsWebhookSecret }) => ({
    'POST /webhooks/email': deliveryWebhook(db, logger, 'email', emailWebhookSecret),
    'POST /webhooks/sms': deliveryWebhook(db, logger, 'sms', smsWebhookSecret),
  }),
  consumes: { [ZALO_MESSAGE_STATUS]: onZaloMessageStatus },
  // A failed pass is retried at the next one (the table only grows meanwhile).
  workers: ({ db, logger }) =>
    startPeriodic({
      everyMs: PRUNE_EVERY_MS,
      delayFirst: true,
      pass: () => pruneDeliveries(db, 2 * DELIVERY_FRESHNESS_MS + 60_000),
      failed: (error) =>
        logger.error('could not prune seen delivery webhooks', { error: error.message }),
    }),
};
