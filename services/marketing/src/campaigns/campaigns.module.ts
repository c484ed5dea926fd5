// Campaigns: written by staff (create, update, schedule, start, cancel), their audience
// from contacts (marketing.audience.requested → contacts.audience.members / resolved),
// the vouchers they carry (marketing.vouchers.requested → orders.vouchers.issued), and
// their stats. The messages go out through sending/. docs/marketing.md.
import { AUDIENCE_MEMBERS, AUDIENCE_RESOLVED, VOUCHERS_ISSUED } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { onAudienceMembers, onAudienceResolved } from './campaign.audience';
import { CampaignEntity } from './campaign.entity';
import { createCampaignLoaders } from './campaign.loaders';
import { campaignAccess, campaignResolvers } from './campaign.resolvers';
import { startCampaignScheduler } from './campaign.scheduler';
import { onVouchersIssued } from './campaign.vouchers';

export const campaignsModule: DomainModule = {
  name: 'campaigns',
  resolvers: [campaignResolvers],
  access: campaignAccess,
  entities: [CampaignEntity],
  loaders: createCampaignLoaders,
  workers: ({ db, logger }) => startCampaignScheduler(db, logger),
  consumes: {
    [AUDIENCE_MEMBERS]: onAudienceMembers,
    [AUDIENCE_RESOLVED]: onAudienceResolved,
    [VOUCHERS_ISSUED]: onVouchersIssued,
  },
};
