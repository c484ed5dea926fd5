// The Marketing tab: the campaign messages a customer received (`Customer.marketing`);
// a merge of customers moves them to the survivor. The messages' monthly partitions are
// kept here (message.retention.ts).
import { CUSTOMER_MERGED, DEFAULT_MARKETING_RETENTION_MONTHS } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { onCustomerMerged } from './customer-merged.handler';
import { MarketingMessageEntity } from './message.entity';
import { createMessageLoaders } from './message.loaders';
import { messageAccess, messageResolvers } from './message.resolvers';
import { startRetentionWorker } from './message.retention';
import { seedDemoMessages } from './message.seed';
import { MarketingHistory1765300000000 } from './migrations/1765300000000-MarketingHistory';
import { KeptSummary1766600000300 } from './migrations/1766600000300-KeptSummary';
import { MergedMessages1766700000000 } from './migrations/1766700000000-MergedMessages';
import { CustomerCoverIndex1765500000100 } from './migrations/1765500000100-CustomerCoverIndex';

export const messagesModule: DomainModule = {
  name: 'messages',
  resolvers: [messageResolvers],
  access: messageAccess,
  entities: [MarketingMessageEntity],
  migrations: [
    MarketingHistory1765300000000,
    CustomerCoverIndex1765500000100,
    KeptSummary1766600000300,
    MergedMessages1766700000000,
  ],
  loaders: createMessageLoaders,
  seedDemo: seedDemoMessages,
  workers: ({ db, logger, marketingRetentionMonths }) =>
    startRetentionWorker(
      db,
      logger,
      marketingRetentionMonths ?? DEFAULT_MARKETING_RETENTION_MONTHS,
    ),
  consumes: { [CUSTOMER_MERGED]: onCustomerMerged },
};
