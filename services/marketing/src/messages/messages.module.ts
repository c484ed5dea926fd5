// The Marketing tab: the campaign messages a customer received (`Customer.marketing`).
import type { DomainModule } from '@customer-graph/runtime';
import { MarketingMessageEntity } from './message.entity';
import { createMessageLoaders } from './message.loaders';
import { messageAccess, messageResolvers } from './message.resolvers';
import { seedDemoMessages } from './message.seed';

export const messagesModule: DomainModule = {
  name: 'messages',
  resolvers: [messageResolvers],
  access: messageAccess,
  entities: [MarketingMessageEntity],
  loaders: createMessageLoaders,
  seedDemo: seedDemoMessages,
};
