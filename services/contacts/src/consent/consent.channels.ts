// The channels marketing sends on, as contacts knows them: the values of
// MarketingChannel (schema/contacts.graphql declares the enum identically to
// marketing's) and of the consent and audience events' `channel`.
export const MARKETING_CHANNELS = [
  'SMS',
  'EMAIL',
  'ZNS',
  'ZALO_OA',
  'ZALO_BULK',
  'FACEBOOK',
] as const;

export type MarketingChannel = (typeof MARKETING_CHANNELS)[number];
