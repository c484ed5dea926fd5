// Consent to marketing per customer and channel (docs/marketing.md, "Consent"): shown
// on the customer (`channelConsents`), set by staff (`setChannelConsent`) or by a
// provider's unsubscribe/complaint report (delivery/), published to contacts.
import { CUSTOMER_MERGED } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { createConsentLoaders } from './consent.loaders';
import { consentAccess, consentResolvers } from './consent.resolvers';
import { onCustomerMergedConsent } from './customer-merged.handler';

export const consentModule: DomainModule = {
  name: 'consent',
  resolvers: [consentResolvers],
  access: consentAccess,
  loaders: createConsentLoaders,
  consumes: { [CUSTOMER_MERGED]: onCustomerMergedConsent },
};
