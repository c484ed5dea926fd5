// A campaign's audience, as contacts answers marketing.audience.requested:
// - contacts.audience.members (a batch of ≤ 1,000): the batch is recorded
//   (campaign_audience_batch; a redelivered batch is a no-op), and each member gets one
//   message (QUEUED; PENDING for the sender, or WAITING_VOUCHER when the campaign gives
//   vouchers, then marketing.vouchers.requested for the batch). The recipient index
//   (campaign, customer, created_at) keeps it to one message per member even so.
//   A campaign no longer SENDING (cancelled, failed) records the batch and sends nothing.
// - contacts.audience.resolved: the counts; `refused` makes the campaign FAILED.
import type { EntityManager } from 'typeorm';
import { VOUCHERS_REQUESTED, appendEvent, createEvent, uuidv7 } from '@customer-graph/runtime';
import type { EventOf, Logger } from '@customer-graph/runtime';
import type { AUDIENCE_MEMBERS, AUDIENCE_RESOLVED } from '@customer-graph/runtime';
import { CAMPAIGN_SELECT } from './campaign.entity';
import type { CampaignRow } from './campaign.entity';
import { finishIfDone } from './campaign.finish';

/** The campaign an event is about, locked; null (logged) when the workspace has none. */
async function lockedCampaign(
  tx: EntityManager,
  workspaceId: string,
  id: string,
  logger: Logger,
  what: string,
): Promise<CampaignRow | null> {
  const [row]: CampaignRow[] = await tx.query(
    `SELECT ${CAMPAIGN_SELECT} FROM campaign c WHERE c.workspace_id = $1 AND c.id = $2 FOR UPDATE`,
    [workspaceId, id],
  );
  if (!row) logger.warn(`${what} for an unknown campaign; ignored`, { workspaceId, id });
  return row ?? null;
}

export async function onAudienceMembers(
  tx: EntityManager,
  event: EventOf<typeof AUDIENCE_MEMBERS>,
  logger: Logger,
): Promise<void> {
  const { campaignId, batch, members } = event.payload;
  const campaign = await lockedCampaign(
    tx,
    event.workspaceId,
    campaignId,
    logger,
    'audience batch',
  );
  if (!campaign) return;
  const recorded: unknown[] = await tx.query(
    `INSERT INTO campaign_audience_batch (workspace_id, campaign_id, batch, members)
     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING batch`,
    [event.workspaceId, campaignId, batch, members.length],
  );
  if (recorded.length === 0 || campaign.status !== 'SENDING' || !campaign.startedAt) return;
  const startedAt = campaign.startedAt;
  const waiting = campaign.voucherCampaignId !== null;
  const added: { customerId: string }[] = await tx.query(
    `INSERT INTO marketing_message (id, workspace_id, customer_id, campaign_id, campaign_name,
       channel, address, split_part, content_summary, status, status_at, send_state, created_at)
     SELECT m.id, $1, m.customer_id, $2, $3, $4, m.address, m.part, $5, 'QUEUED', $6, $7, $6
       FROM unnest($8::uuid[], $9::uuid[], $10::text[], $11::int[])
            AS m (id, customer_id, address, part)
     ON CONFLICT (campaign_id, customer_id, created_at, merged_from) WHERE campaign_id IS NOT NULL
       DO NOTHING
     RETURNING customer_id AS "customerId"`,
    [
      event.workspaceId,
      campaignId,
      campaign.name,
      campaign.channel,
      campaign.contentSummary,
      startedAt,
      waiting ? 'WAITING_VOUCHER' : 'PENDING',
      members.map(() => uuidv7(startedAt.getTime())),
      members.map((m) => m.customerId),
      members.map((m) => m.address),
      members.map((m) => m.part),
    ],
  );
  if (waiting && added.length > 0) {
    await appendEvent(
      tx,
      createEvent({
        type: VOUCHERS_REQUESTED,
        workspaceId: event.workspaceId,
        key: campaignId,
        payload: {
          campaignId,
          voucherCampaignId: campaign.voucherCampaignId!,
          batch,
          customerIds: added.map((a) => a.customerId),
        },
      }),
    );
  }
  await finishIfDone(tx, event.workspaceId, [campaignId]);
}

export async function onAudienceResolved(
  tx: EntityManager,
  event: EventOf<typeof AUDIENCE_RESOLVED>,
  logger: Logger,
): Promise<void> {
  const { campaignId, batches, members, excluded, refused } = event.payload;
  const campaign = await lockedCampaign(tx, event.workspaceId, campaignId, logger, 'audience end');
  if (!campaign || campaign.audienceBatches !== null) return;
  await tx.query(
    `UPDATE campaign SET audience_batches = $3, audience_members = $4, excluded_restricted = $5,
       excluded_opted_out = $6, excluded_no_address = $7, updated_at = now(),
       status = CASE WHEN $8::text IS NOT NULL AND status = 'SENDING' THEN 'FAILED' ELSE status END,
       failure_reason = CASE WHEN $8::text IS NOT NULL AND status = 'SENDING' THEN $8
                        ELSE failure_reason END,
       finished_at = CASE WHEN $8::text IS NOT NULL AND status = 'SENDING' THEN now()
                     ELSE finished_at END
     WHERE workspace_id = $1 AND id = $2`,
    [
      event.workspaceId,
      campaignId,
      batches,
      members,
      excluded.restricted,
      excluded.optedOut,
      excluded.noAddress,
      refused,
    ],
  );
  await finishIfDone(tx, event.workspaceId, [campaignId]);
}
