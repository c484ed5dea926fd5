import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { listCampaigns } from './campaign.list';
import {
  cancelCampaign,
  createCampaign,
  scheduleCampaign,
  updateCampaign,
} from './campaign.service';
import { startCampaign } from './campaign.start';
import { rate } from './campaign.stats';
import { JsonScalar } from './json.scalar';
import type { StatsRow } from './campaign.mappers';

const rates = {
  deliveryRate: (s: StatsRow) => rate(s.delivered, s.sent),
  openRate: (s: StatsRow) => rate(s.opened, s.sent),
  clickRate: (s: StatsRow) => rate(s.clicked, s.sent),
};

export const campaignResolvers: Resolvers = {
  JSON: JsonScalar,
  Query: {
    campaign: (_root, { id }, ctx) => ctx.loaders.campaigns.byId.load(id),
    campaigns: (_root, args, ctx, info) => listCampaigns(ctx.db, ctx.workspaceId, args, info),
  },
  Mutation: {
    createCampaign: (_root, { input }, ctx) =>
      createCampaign(ctx.db, ctx.workspaceId, ctx.identity.userId, input),
    updateCampaign: (_root, { id, input }, ctx) =>
      updateCampaign(ctx.db, ctx.workspaceId, id, input),
    scheduleCampaign: (_root, { id, at }, ctx) => scheduleCampaign(ctx.db, ctx.workspaceId, id, at),
    startCampaign: (_root, { id }, ctx) => startCampaign(ctx.db, ctx.identity, id),
    cancelCampaign: (_root, { id }, ctx) => cancelCampaign(ctx.db, ctx.identity, id),
  },
  Campaign: {
    audienceCount: (c) =>
      c.audienceMembers === null
        ? null
        : {
            members: c.audienceMembers,
            restricted: c.excludedRestricted ?? 0,
            optedOut: c.excludedOptedOut ?? 0,
            noAddress: c.excludedNoAddress ?? 0,
          },
    stats: (c, _args, ctx) => ctx.loaders.campaigns.stats.load(c),
  },
  CampaignStats: rates,
  CampaignPartStats: rates,
  CampaignConnection: {
    totalCount: (page) => page.count(),
  },
};

const ofCampaign = { inherit: 'a field of a campaign already checked' } as const;
const ofStats = { inherit: 'a figure of a campaign already checked' } as const;

export const campaignAccess: AccessRules = {
  // An audience's filter may name any customer, and the stats count the whole audience:
  // whoever may read every customer of the workspace (as a saved list's filter).
  'Query.campaign': { can: 'customers.readAll' },
  'Query.campaigns': { can: 'customers.readAll' },
  'CampaignConnection.totalCount': { inherit: 'counts the list its parent field checked' },
  'Mutation.createCampaign': { can: 'workspace.edit' },
  'Mutation.updateCampaign': { can: 'workspace.edit' },
  'Mutation.scheduleCampaign': { can: 'workspace.edit' },
  'Mutation.startCampaign': { can: 'workspace.edit' },
  'Mutation.cancelCampaign': { can: 'workspace.edit' },
  'Campaign.audienceCount': ofCampaign,
  'Campaign.stats': ofCampaign,
  'CampaignStats.deliveryRate': ofStats,
  'CampaignStats.openRate': ofStats,
  'CampaignStats.clickRate': ofStats,
  'CampaignPartStats.deliveryRate': ofStats,
  'CampaignPartStats.openRate': ofStats,
  'CampaignPartStats.clickRate': ofStats,
};
