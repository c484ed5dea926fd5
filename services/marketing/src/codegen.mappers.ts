// GraphQL types of this subgraph → the rows its resolvers return, for GraphQL Code
// Generator (`npm run codegen`, see codegen.ts); paths from src/generated/.
export const mappers: Record<string, string> = {
  Customer: '../messages/message.mappers#CustomerRef',
  MarketingMessage: '../messages/message.entity#MarketingMessageRow',
  MarketingMessageConnection: '../messages/message.mappers#MessagePage',
  MessageStatusChange: '../messages/message.mappers#StatusChangeRow',
  ChannelSummary: '../messages/message.mappers#ChannelSummaryRow',
  ChannelConsent: '../consent/consent.entity#ChannelConsentRow',
  Campaign: '../campaigns/campaign.entity#CampaignRow',
  CampaignAudience: '../campaigns/campaign.entity#CampaignAudienceRow',
  CampaignConnection: '../campaigns/campaign.mappers#CampaignPage',
  CampaignStats: '../campaigns/campaign.mappers#CampaignStatsRow',
  CampaignPartStats: '../campaigns/campaign.mappers#StatsRow',
  CampaignFunnelGroup: '../analytics/campaign-funnel#FunnelGroupRow',
};
