// Starting a campaign (startCampaign, or the scheduler when its time has come): in one
// transaction it becomes SENDING with started_at = now, and marketing.audience.requested
// asks contacts for its audience, frozen at that moment (campaign.audience.ts takes
// the answer). started_at is also the created_at of every message of the campaign, so
// they all sit in one monthly partition, created here first if missing.
import type { DataSource, EntityManager } from 'typeorm';
import {
  AUDIENCE_REQUESTED,
  AuditAction,
  appendEvent,
  createEvent,
  recordAudit,
} from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { ensureMonths } from '../messages/message.partitions';
import { CAMPAIGN_SELECT } from './campaign.entity';
import type { CampaignRow } from './campaign.entity';
import { lockCampaign, requireStatus } from './campaign.service';

/** Starts a campaign locked by the caller's transaction; answers it as it now is. */
export async function startLocked(
  tx: EntityManager,
  campaign: CampaignRow,
  startedAt: Date,
): Promise<CampaignRow> {
  requireStatus(campaign, ['DRAFT', 'SCHEDULED'], 'started');
  const [[row]]: [CampaignRow[], number] = await tx.query(
    `UPDATE campaign c SET status = 'SENDING', started_at = $3, updated_at = now()
      WHERE c.workspace_id = $1 AND c.id = $2 RETURNING ${CAMPAIGN_SELECT}`,
    [campaign.workspaceId, campaign.id, startedAt],
  );
  const { listId, filter, splitParts, part } = campaign.audience;
  await appendEvent(
    tx,
    createEvent({
      type: AUDIENCE_REQUESTED,
      workspaceId: campaign.workspaceId,
      key: campaign.id,
      payload: {
        campaignId: campaign.id,
        channel: campaign.channel,
        audience: { listId, filter, splitParts, part },
      },
    }),
  );
  return row;
}

export async function startCampaign(
  db: DataSource,
  identity: Identity,
  id: string,
): Promise<CampaignRow> {
  const startedAt = new Date();
  await ensureMonths(db, startedAt, startedAt);
  return db.transaction(async (tx) => {
    const row = await startLocked(
      tx,
      await lockCampaign(tx, identity.workspaceId, id, 'id'),
      startedAt,
    );
    await recordAudit(tx, identity, {
      action: AuditAction.MARKETING_CAMPAIGN_STARTED,
      targetType: 'Campaign',
      targetIds: [row.id],
      detail: { channel: row.channel },
    });
    return row;
  });
}

/**
 * Starts the SCHEDULED campaigns whose time has come (at `now`), a few at a time, in
 * every workspace; SKIP LOCKED lets several processes share the work. Answers how many
 * it started.
 */
export async function startDueCampaigns(db: DataSource, now = new Date(), limit = 20) {
  await ensureMonths(db, now, now);
  return db.transaction(async (tx) => {
    const due: CampaignRow[] = await tx.query(
      `SELECT ${CAMPAIGN_SELECT} FROM campaign c
        WHERE c.status = 'SCHEDULED' AND c.scheduled_at <= $1
        ORDER BY c.scheduled_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
      [now],
    );
    for (const campaign of due) await startLocked(tx, campaign, now);
    return due.length;
  });
}
