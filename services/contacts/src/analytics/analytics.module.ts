// Figures for analysts and dashboards (issue 17, docs/analytics.md): `customerStats`,
// the customers of a filter counted per combination of up to three keys. Call figures
// (`callStats`) live with the calls (calls/call.stats.ts).
import type { DomainModule } from '@customer-graph/runtime';
import { analyticsAccess, analyticsResolvers } from './analytics.resolvers';
import { CustomerStatsIndex1767000000100 } from './migrations/1767000000100-CustomerStatsIndex';
import { CustomerStatsColumns1767100000100 } from './migrations/1767100000100-CustomerStatsColumns';

export const analyticsModule: DomainModule = {
  name: 'analytics',
  resolvers: [analyticsResolvers],
  access: analyticsAccess,
  migrations: [CustomerStatsIndex1767000000100, CustomerStatsColumns1767100000100],
};
