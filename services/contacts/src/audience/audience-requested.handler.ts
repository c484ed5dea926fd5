// marketing.audience.requested: a campaign is starting and asks for its audience.
// Contacts answers in the transaction of the request's inbox row: the members in
// batches of at most 1,000 (contacts.audience.members, batch 1..n), then
// contacts.audience.resolved with the counts — or, when the audience cannot be
// resolved (an unknown list, a filter the list language refuses), only
// contacts.audience.resolved with `refused` and no batch.
//
// Once per campaign: the inbox dedupes the event id, and audience_answer the campaign
// — a second request for a campaign answered before (a redelivery under a new event
// id) publishes nothing, so marketing never receives two different audiences.
//
// Size: a 100,000-member audience is 100 member events (~110 kB each) and the end,
// written to the outbox a few events per statement (the parameters of one INSERT stay
// around a megabyte) in this one transaction.
import { appendEvents } from '@customer-graph/runtime';
import type { AUDIENCE_REQUESTED, AnyEvent, EventHandler } from '@customer-graph/runtime';
import { audienceMembers, audienceResolved } from './audience.events';
import { resolveAudience } from './audience.resolve';

/** Members per contacts.audience.members (the contract's maximum). */
export const AUDIENCE_BATCH_SIZE = 1000;
/** Events per outbox INSERT. */
const EVENTS_PER_INSERT = 10;

export const onAudienceRequested: EventHandler<typeof AUDIENCE_REQUESTED> = async (
  tx,
  event,
  logger,
) => {
  const { workspaceId } = event;
  const { campaignId } = event.payload;
  const claimed: unknown[] = await tx.query(
    `INSERT INTO audience_answer (workspace_id, campaign_id) VALUES ($1, $2)
     ON CONFLICT DO NOTHING RETURNING campaign_id`,
    [workspaceId, campaignId],
  );
  if (claimed.length === 0) {
    logger.info('audience already answered; nothing published', { workspaceId, campaignId });
    return;
  }
  const audience = await resolveAudience(tx, workspaceId, event.payload);
  const events: AnyEvent[] = [];
  if ('refused' in audience) {
    logger.warn('audience refused', { workspaceId, campaignId, refused: audience.refused });
    events.push(
      audienceResolved(workspaceId, {
        campaignId,
        batches: 0,
        members: 0,
        excluded: { restricted: 0, optedOut: 0, noAddress: 0 },
        refused: audience.refused,
      }),
    );
  } else {
    const { members, excluded } = audience;
    for (let i = 0; i < members.length; i += AUDIENCE_BATCH_SIZE) {
      events.push(
        audienceMembers(workspaceId, {
          campaignId,
          batch: events.length + 1,
          members: members.slice(i, i + AUDIENCE_BATCH_SIZE),
        }),
      );
    }
    events.push(
      audienceResolved(workspaceId, {
        campaignId,
        batches: events.length,
        members: members.length,
        excluded,
        refused: null,
      }),
    );
  }
  for (let i = 0; i < events.length; i += EVENTS_PER_INSERT) {
    await appendEvents(tx, events.slice(i, i + EVENTS_PER_INSERT));
  }
};
