import { checkGroupBy, createHeavyWorkLimiter } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { rate } from '../campaigns/campaign.stats';
import { campaignFunnel } from './campaign-funnel';

const limiter = createHeavyWorkLimiter('campaign figures (campaignFunnel)');

export const analyticsResolvers: Resolvers = {
  Query: {
    campaignFunnel: (_root, { campaignId, filter, groupBy }, ctx) => {
      const keys = checkGroupBy(groupBy);
      return limiter.run(ctx.workspaceId, () =>
        campaignFunnel(ctx.db, ctx.workspaceId, ctx.access.scope, { campaignId, filter }, keys),
      );
    },
  },
  CampaignFunnelGroup: {
    campaign: (group, _args, ctx) => {
      const id = group.keys.find((k) => k.key === 'CAMPAIGN')?.value;
      return id ? ctx.loaders.campaigns.byId.load(id) : null;
    },
    deliveryRate: (g) => rate(g.delivered, g.sent),
    openRate: (g) => rate(g.opened, g.sent),
    clickRate: (g) => rate(g.clicked, g.sent),
  },
};

const FIGURE = 'a figure of a funnel already checked';

export const analyticsAccess: AccessRules = {
  // Figures over the whole workspace; messages scoped in SQL all the same
  // (projectedScopeSql: staff would count only their customers' messages).
  'Query.campaignFunnel': { can: 'reports.read' },
  // A campaign is read by whoever may read every customer (campaign.resolvers.ts).
  'CampaignFunnelGroup.campaign': { can: 'customers.readAll' },
  'CampaignFunnelGroup.deliveryRate': { inherit: FIGURE },
  'CampaignFunnelGroup.openRate': { inherit: FIGURE },
  'CampaignFunnelGroup.clickRate': { inherit: FIGURE },
};
