import type { SubgraphModule } from '@customer-graph/runtime';
import type { Loaders } from './context';
import { MarketingMessageEntity } from './messages/message.entity';
import { createMessageLoaders } from './messages/message.loaders';
import { messageResolvers } from './messages/message.resolvers';
import { seedDemoMessages } from './messages/message.seed';
import { CreateMarketingMessages1763900000300 } from './migrations/1763900000300-CreateMarketingMessages';

export const marketingSubgraph: SubgraphModule<Loaders> = {
  name: 'marketing',
  resolvers: [messageResolvers],
  entities: [MarketingMessageEntity],
  migrations: [CreateMarketingMessages1763900000300],
  createLoaders: createMessageLoaders,
  seedDemo: seedDemoMessages,
};
