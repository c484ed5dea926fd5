// The followers subgraph: a workspace's Zalo OA and its followers, one domain module
// per folder.
import { defineSubgraph } from '@customer-graph/runtime';
import type { Loaders } from './context';
import { followersModule } from './followers/followers.module';
import { oaModule } from './oa/oa.module';
import { webhookModule } from './webhook/webhook.module';
import { privacyModule } from './privacy/privacy.module';
import { CreateZaloFollowers1763900000400 } from './migrations/1763900000400-CreateZaloFollowers';
import { CreateZaloOA1763900000410 } from './migrations/1763900000410-CreateZaloOA';
import { ZaloOAClaims1763900000420 } from './migrations/1763900000420-ZaloOAClaims';
import { ZaloWebhookReplay1763900000430 } from './migrations/1763900000430-ZaloWebhookReplay';
import { FollowerLinkedAt1763900000440 } from './migrations/1763900000440-FollowerLinkedAt';

export const followersSubgraph = defineSubgraph<Loaders>({
  name: 'followers',
  // Staff assignments come from contacts' events (a projection of its own).
  assignments: 'projected',
  // Written before the modules: one migration may create several modules' tables.
  migrations: [
    CreateZaloFollowers1763900000400,
    CreateZaloOA1763900000410,
    ZaloOAClaims1763900000420,
    ZaloWebhookReplay1763900000430,
    FollowerLinkedAt1763900000440,
  ],
  modules: [followersModule, oaModule, webhookModule, privacyModule],
});
