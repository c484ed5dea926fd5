// The marketing subgraph: what was sent to a customer, one domain module per folder.
import { defineSubgraph } from '@customer-graph/runtime';
import type { Loaders } from './context';
import { consentModule } from './consent/consent.module';
import { deliveryModule } from './delivery/delivery.module';
import { campaignsModule } from './campaigns/campaigns.module';
import { messagesModule } from './messages/messages.module';
import { sendingModule } from './sending/sending.module';
import { privacyModule } from './privacy/privacy.module';
import { analyticsModule } from './analytics/analytics.module';
import { CreateMarketingMessages1763900000300 } from './migrations/1763900000300-CreateMarketingMessages';

export const marketingSubgraph = defineSubgraph<Loaders>({
  name: 'marketing',
  // Staff assignments come from contacts' events (a projection of its own).
  assignments: 'projected',
  // Written before the modules.
  migrations: [CreateMarketingMessages1763900000300],
  modules: [
    messagesModule,
    campaignsModule,
    sendingModule,
    deliveryModule,
    consentModule,
    privacyModule,
    analyticsModule,
  ],
});
