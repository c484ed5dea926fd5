// Loyalty ("Khách hàng thân thiết", docs/loyalty.md): the program per workspace, the
// ledger fed by the orders' reconciliation, the Loyalty tab, points by hand, the tier
// published to contacts, merges, the re-evaluation worker and the expiry/window sweep.
import { CUSTOMER_MERGED, DEFAULT_LOYALTY_SWEEP_INTERVAL_MS } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { LoyaltyEntryEntity } from './loyalty.entity';
import { startReevaluationWorker } from './loyalty.job';
import { createLoyaltyLoaders } from './loyalty.loaders';
import { mergeLedgersOnCustomerMerged } from './loyalty.merge';
import { startSweepWorker } from './loyalty.sweep';
import { loyaltyAccess, loyaltyResolvers } from './loyalty.resolvers';
import { Loyalty1765000000000 } from './migrations/1765000000000-Loyalty';
import { LoyaltySweep1765100000000 } from './migrations/1765100000000-LoyaltySweep';
import { LiveEarnByCustomer1765200000100 } from './migrations/1765200000100-LiveEarnByCustomer';
import { ReevaluationLanes1765200000300 } from './migrations/1765200000300-ReevaluationLanes';

export const loyaltyModule: DomainModule = {
  name: 'loyalty',
  resolvers: [loyaltyResolvers],
  access: loyaltyAccess,
  entities: [LoyaltyEntryEntity],
  migrations: [
    Loyalty1765000000000,
    LoyaltySweep1765100000000,
    LiveEarnByCustomer1765200000100,
    ReevaluationLanes1765200000300,
  ],
  loaders: createLoyaltyLoaders,
  workers: ({ db, logger, loyaltySweepIntervalMs }) => {
    const workers = [
      startReevaluationWorker(db, logger),
      startSweepWorker(db, logger, loyaltySweepIntervalMs ?? DEFAULT_LOYALTY_SWEEP_INTERVAL_MS),
    ];
    return { stop: async () => void (await Promise.all(workers.map((w) => w.stop()))) };
  },
  // Listed before orders: the ledgers move before orders' handler reconciles the survivor.
  consumes: { [CUSTOMER_MERGED]: mergeLedgersOnCustomerMerged },
};
