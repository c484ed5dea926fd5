// orders.vouchers.issued, orders-loyalty's answer to marketing.vouchers.requested for
// one batch: each code goes on its customer's message, which the sender may now send
// (PENDING); a customer refused a code gets no message: FAILED 'NO_VOUCHER: <reason>'.
// Only messages still WAITING_VOUCHER change, so a redelivered answer (or one for a
// cancelled campaign) changes nothing.
import type { EntityManager } from 'typeorm';
import type { EventOf, Logger, VOUCHERS_ISSUED } from '@customer-graph/runtime';
import { CAMPAIGN_SELECT } from './campaign.entity';
import type { CampaignRow } from './campaign.entity';
import { finishIfDone } from './campaign.finish';
import { failUnsent } from './campaign.service';

export async function onVouchersIssued(
  tx: EntityManager,
  event: EventOf<typeof VOUCHERS_ISSUED>,
  logger: Logger,
): Promise<void> {
  const { campaignId, codes, refused } = event.payload;
  const [campaign]: CampaignRow[] = await tx.query(
    `SELECT ${CAMPAIGN_SELECT} FROM campaign c WHERE c.workspace_id = $1 AND c.id = $2 FOR UPDATE`,
    [event.workspaceId, campaignId],
  );
  if (!campaign?.startedAt) {
    logger.warn('vouchers issued for an unknown campaign; ignored', {
      workspaceId: event.workspaceId,
      campaignId,
    });
    return;
  }
  if (codes.length > 0) {
    await tx.query(
      `UPDATE marketing_message m SET voucher_code = v.code, send_state = 'PENDING'
         FROM unnest($4::uuid[], $5::text[]) AS v (customer_id, code)
        WHERE m.workspace_id = $1 AND m.campaign_id = $2 AND m.created_at = $3
          AND m.customer_id = v.customer_id AND m.send_state = 'WAITING_VOUCHER'`,
      [
        event.workspaceId,
        campaignId,
        campaign.startedAt,
        codes.map((c) => c.customerId),
        codes.map((c) => c.code),
      ],
    );
  }
  // One statement per reason: a batch is refused for one or two reasons at most.
  const byReason = new Map<string, string[]>();
  for (const r of refused) {
    const ids = byReason.get(r.reason) ?? [];
    ids.push(r.customerId);
    byReason.set(r.reason, ids);
  }
  for (const [reason, customerIds] of byReason) {
    await failUnsent(tx, campaign, `NO_VOUCHER: ${reason}`, 'voucher', customerIds);
  }
  await finishIfDone(tx, event.workspaceId, [campaignId]);
}
