// Figures for analysts and dashboards (issue 17, docs/analytics.md): `orderStats`, the
// orders of a filter in figures (count, sales, revenue, average order value) per
// combination of up to three keys.
import type { DomainModule } from '@customer-graph/runtime';
import { analyticsAccess, analyticsResolvers } from './analytics.resolvers';
import { OrderStatsStatistics1767000000200 } from './migrations/1767000000200-OrderStatsStatistics';
import { OrderedDays1767100000200 } from './migrations/1767100000200-OrderedDays';

export const analyticsModule: DomainModule = {
  name: 'analytics',
  resolvers: [analyticsResolvers],
  access: analyticsAccess,
  migrations: [OrderStatsStatistics1767000000200, OrderedDays1767100000200],
};
