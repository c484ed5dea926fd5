// Campaign audiences: marketing asks (marketing.audience.requested), contacts
// resolves the list or filter in one snapshot and answers the members in batches
// (contacts.audience.members) and the end (contacts.audience.resolved), through the
// outbox. Who is left out reads consent/ (opted out of the channel). Nothing on the
// graph. docs/marketing.md, "Audiences and consent (contacts)".
import { AUDIENCE_REQUESTED } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { onAudienceRequested } from './audience-requested.handler';
import { AudienceAnswer1765400000110 } from './migrations/1765400000110-AudienceAnswer';

export const audienceModule: DomainModule = {
  name: 'audience',
  migrations: [AudienceAnswer1765400000110],
  consumes: {
    [AUDIENCE_REQUESTED]: onAudienceRequested,
  },
};
