// The Marketing tab: the campaign messages a customer received (`Customer.marketing`);
// a merge of customers moves them to the survivor.
import { CUSTOMER_MERGED } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { onCustomerMerged } from './customer-merged.handler';
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
  consumes: { [CUSTOMER_MERGED]: onCustomerMerged },
};
