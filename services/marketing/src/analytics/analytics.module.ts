// Figures for analysts and dashboards (issue 17, docs/analytics.md): `campaignFunnel`,
// what became of the messages of one campaign or of many, per combination of up to
// three keys.
import type { DomainModule } from '@customer-graph/runtime';
import { analyticsAccess, analyticsResolvers } from './analytics.resolvers';

export const analyticsModule: DomainModule = {
  name: 'analytics',
  resolvers: [analyticsResolvers],
  access: analyticsAccess,
};
