// Events contacts publishes in answer to marketing.audience.requested. Type, version
// and payload come from the catalog generated from schema/events/; keyed by the
// campaign id, so a campaign's batches and its end stay in order on one partition.
import { AUDIENCE_MEMBERS, AUDIENCE_RESOLVED, createEvent } from '@customer-graph/runtime';
import type {
  AudienceMembersPayload,
  AudienceResolvedPayload,
  EventOf,
} from '@customer-graph/runtime';

export function audienceMembers(
  workspaceId: string,
  payload: AudienceMembersPayload,
): EventOf<typeof AUDIENCE_MEMBERS> {
  return createEvent({ type: AUDIENCE_MEMBERS, workspaceId, key: payload.campaignId, payload });
}

export function audienceResolved(
  workspaceId: string,
  payload: AudienceResolvedPayload,
): EventOf<typeof AUDIENCE_RESOLVED> {
  return createEvent({ type: AUDIENCE_RESOLVED, workspaceId, key: payload.campaignId, payload });
}
