// Loyalty ("Khách hàng thân thiết", docs/loyalty.md): the program per workspace, the
// ledger fed by the orders' reconciliation, the Loyalty tab, points by hand, the tier
// published to contacts, merges, and the re-evaluation worker.
import { CUSTOMER_MERGED } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { LoyaltyEntryEntity } from './loyalty.entity';
import { startReevaluationWorker } from './loyalty.job';
import { createLoyaltyLoaders } from './loyalty.loaders';
import { mergeLedgersOnCustomerMerged } from './loyalty.merge';
import { loyaltyAccess, loyaltyResolvers } from './loyalty.resolvers';
import { Loyalty1765000000000 } from './migrations/1765000000000-Loyalty';

export const loyaltyModule: DomainModule = {
  name: 'loyalty',
  resolvers: [loyaltyResolvers],
  access: loyaltyAccess,
  entities: [LoyaltyEntryEntity],
  migrations: [Loyalty1765000000000],
  loaders: createLoyaltyLoaders,
  workers: ({ db, logger }) => startReevaluationWorker(db, logger),
  // Listed before orders: the ledgers move before orders' handler reconciles the survivor.
  consumes: { [CUSTOMER_MERGED]: mergeLedgersOnCustomerMerged },
};
