// Campaigns written by staff (workspace.edit): create, replace, schedule, cancel.
// Starting is campaign.start.ts. Every value is checked before anything is written.
import type { DataSource, EntityManager } from 'typeorm';
import { AuditAction, badInput, isUuid, recordAudit } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import type { CampaignInput } from '../generated/graphql';
import { CAMPAIGN_SELECT } from './campaign.entity';
import type { CampaignRow, CampaignStatus } from './campaign.entity';
import { CampaignErrorCode, campaignError } from './campaign.errors';
import { checkCampaign } from './campaign.input';
import type { CheckedCampaign } from './campaign.input';

type Tx = Pick<EntityManager, 'query'>;

/** The campaign, locked for the transaction; NOT_FOUND (naming `field`) when none. */
export async function lockCampaign(
  tx: Tx,
  workspaceId: string,
  id: string,
  field: string,
): Promise<CampaignRow> {
  const rows: CampaignRow[] = isUuid(id)
    ? await tx.query(
        `SELECT ${CAMPAIGN_SELECT} FROM campaign c WHERE c.workspace_id = $1 AND c.id = $2 FOR UPDATE`,
        [workspaceId, id],
      )
    : [];
  if (rows.length === 0) throw campaignError(CampaignErrorCode.CAMPAIGN_NOT_FOUND, field, { id });
  return rows[0];
}

/** Refuses a change the campaign's status does not allow. */
export function requireStatus(
  campaign: CampaignRow,
  allowed: readonly CampaignStatus[],
  action: string,
): void {
  if (!allowed.includes(campaign.status)) {
    throw campaignError(CampaignErrorCode.WRONG_STATUS, 'id', {
      id: campaign.id,
      status: campaign.status,
      action,
    });
  }
}

const PARAMS = (c: CheckedCampaign) => [
  c.name,
  c.channel,
  c.contentSummary,
  c.templateId,
  c.voucherCampaignId,
  JSON.stringify(c.audience),
];

export async function createCampaign(
  db: DataSource,
  workspaceId: string,
  userId: string,
  input: CampaignInput,
): Promise<CampaignRow> {
  const c = checkCampaign(input);
  const [row]: CampaignRow[] = await db.query(
    `INSERT INTO campaign AS c (workspace_id, name, channel, content_summary, template_id,
       voucher_campaign_id, audience, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8) RETURNING ${CAMPAIGN_SELECT}`,
    [workspaceId, ...PARAMS(c), userId],
  );
  return row;
}

export async function updateCampaign(
  db: DataSource,
  workspaceId: string,
  id: string,
  input: CampaignInput,
): Promise<CampaignRow> {
  const c = checkCampaign(input);
  return db.transaction(async (tx) => {
    requireStatus(await lockCampaign(tx, workspaceId, id, 'id'), ['DRAFT', 'SCHEDULED'], 'changed');
    // An UPDATE answers [rows, count].
    const [[row]]: [CampaignRow[], number] = await tx.query(
      `UPDATE campaign c SET name = $3, channel = $4, content_summary = $5, template_id = $6,
         voucher_campaign_id = $7, audience = $8::jsonb, updated_at = now()
        WHERE c.workspace_id = $1 AND c.id = $2 RETURNING ${CAMPAIGN_SELECT}`,
      [workspaceId, id, ...PARAMS(c)],
    );
    return row;
  });
}

export async function scheduleCampaign(
  db: DataSource,
  workspaceId: string,
  id: string,
  at: Date | string,
): Promise<CampaignRow> {
  const when = new Date(at);
  if (Number.isNaN(when.getTime()) || when.getTime() <= Date.now()) {
    throw badInput('at', 'at must be a time in the future');
  }
  return db.transaction(async (tx) => {
    const held = await lockCampaign(tx, workspaceId, id, 'id');
    requireStatus(held, ['DRAFT', 'SCHEDULED'], 'scheduled');
    const [[row]]: [CampaignRow[], number] = await tx.query(
      `UPDATE campaign c SET status = 'SCHEDULED', scheduled_at = $3, updated_at = now()
        WHERE c.workspace_id = $1 AND c.id = $2 RETURNING ${CAMPAIGN_SELECT}`,
      [workspaceId, id, when],
    );
    return row;
  });
}

/**
 * Cancels a campaign not yet finished. Its messages not yet handed to a provider
 * (PENDING, or WAITING_VOUCHER) are done: FAILED with the reason CANCELLED, and a
 * FAILED step in their timeline; those SENDING finish as the sender stores them.
 * Audience batches arriving later add no message (campaign.audience.ts).
 */
export async function cancelCampaign(
  db: DataSource,
  identity: Identity,
  id: string,
): Promise<CampaignRow> {
  const { workspaceId } = identity;
  return db.transaction(async (tx) => {
    const held = await lockCampaign(tx, workspaceId, id, 'id');
    if (held.status === 'CANCELLED') return held;
    requireStatus(held, ['DRAFT', 'SCHEDULED', 'SENDING'], 'cancelled');
    if (held.startedAt) await failUnsent(tx, held, 'CANCELLED', 'cancel');
    const [[row]]: [CampaignRow[], number] = await tx.query(
      `UPDATE campaign c SET status = 'CANCELLED', finished_at = now(), updated_at = now()
        WHERE c.workspace_id = $1 AND c.id = $2 RETURNING ${CAMPAIGN_SELECT}`,
      [workspaceId, id],
    );
    await recordAudit(tx, identity, {
      action: AuditAction.MARKETING_CAMPAIGN_CANCELLED,
      targetType: 'Campaign',
      targetIds: [row.id],
      detail: { status: held.status },
    });
    return row;
  });
}

/**
 * Marks the campaign's messages not yet handed over (only those of `customerIds` when
 * given) FAILED for `reason`, done, with a timeline step named `eventId`.
 */
export async function failUnsent(
  tx: Tx,
  campaign: Pick<CampaignRow, 'workspaceId' | 'id' | 'startedAt'>,
  reason: string,
  eventId: string,
  customerIds?: string[],
): Promise<void> {
  const params: unknown[] = [
    campaign.workspaceId,
    campaign.id,
    campaign.startedAt,
    reason,
    eventId,
  ];
  if (customerIds) params.push(customerIds);
  await tx.query(
    `WITH failed AS (
       UPDATE marketing_message m SET status = 'FAILED', status_at = now(), failure_reason = $4,
              send_state = 'DONE'
        WHERE m.workspace_id = $1 AND m.campaign_id = $2 AND m.created_at = $3
          AND m.send_state IN ('PENDING', 'WAITING_VOUCHER')
          ${customerIds ? 'AND m.customer_id = ANY($6::uuid[])' : ''}
        RETURNING m.id, m.created_at)
     INSERT INTO message_event (workspace_id, message_id, message_created_at, status, at,
       detail, provider_event_id)
     SELECT $1, f.id, f.created_at, 'FAILED', now(), $4, $5 FROM failed f
     ON CONFLICT DO NOTHING`,
    params,
  );
}
