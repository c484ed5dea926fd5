// Calls with customers ("Liên hệ khách hàng", issue 12): the tab `Customer.calls`,
// `Query.calls` and `callStats`; calls come from `recordCalls` and from the phone
// system's signed events (POST /webhooks/calls, through the gateway), matched to the
// customer with their number (docs/calls.md).
import type { DomainModule } from '@customer-graph/runtime';
import { CallEntity, CallProviderEntity } from './call.entity';
import { createCallLoaders } from './call.loaders';
import { callAccess, callResolvers } from './call.resolvers';
import { callWebhook } from './call.webhook';
import { seedDemoCalls } from './call.seed';
import { Calls1764800000300 } from './migrations/1764800000300-Calls';

export const callsModule: DomainModule = {
  name: 'calls',
  resolvers: [callResolvers],
  access: callAccess,
  entities: [CallEntity, CallProviderEntity],
  migrations: [Calls1764800000300],
  loaders: createCallLoaders,
  seedDemo: seedDemoCalls,
  routes: ({ db, logger, secrets }) => ({
    'POST /webhooks/calls': callWebhook(db, logger, secrets),
  }),
};
