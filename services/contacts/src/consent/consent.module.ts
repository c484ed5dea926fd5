// Marketing consent, as marketing announces it (marketing.consent.changed): who is
// opted out of which channel, for the list filter (`optedOutChannels`, filter.consent.ts
// in filter/), `Customer.optedOutChannels` and the audiences of campaigns
// (audience/). A merge unions the customers' opt-outs (merge/merge.write.ts calls
// refreshOptedOut). docs/marketing.md, "Audiences and consent (contacts)".
import { CONSENT_CHANGED } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { onConsentChanged } from './consent-changed.handler';
import { ChannelConsent1765400000100 } from './migrations/1765400000100-ChannelConsent';

export const consentModule: DomainModule = {
  name: 'consent',
  migrations: [ChannelConsent1765400000100],
  consumes: {
    [CONSENT_CHANGED]: onConsentChanged,
  },
};
