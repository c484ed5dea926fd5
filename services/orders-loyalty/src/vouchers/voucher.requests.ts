// marketing.vouchers.requested: a marketing campaign with a voucher campaign asks for
// one code per recipient of a batch. Issued by the issuing core (voucher.issue.ts,
// `issueCodes`: the campaign row locked, codes drawn unique) with the campaign's
// limits applied customer by customer, in the batch's order: a customer who would pass
// the limit per customer, or come after the total is reached, gets no code and a
// reason (LIMIT_PER_CUSTOMER, LIMIT_TOTAL); an ended or expired campaign refuses all
// (CAMPAIGN_OVER), as does one the workspace does not have (UNKNOWN_CAMPAIGN). Each code
// carries the note `Chiến dịch <campaign id>` and shows in the customer's voucher tab.
// The answer (orders.vouchers.issued) is published in the same transaction.
//
// Once per (campaign, batch): voucher_request is claimed before issuing; a second
// request for the batch (a redelivery under a new event id) re-publishes the stored
// answer — the same codes — and issues nothing. A merged customer's code goes to the
// survivor (customer_merge), answered under the id marketing asked about.
import { GraphQLError } from 'graphql';
import type { EntityManager } from 'typeorm';
import { PublicErrorCode, appendEvent, survivorsOf } from '@customer-graph/runtime';
import type {
  EventHandler,
  VOUCHERS_REQUESTED,
  VouchersIssuedPayload,
  VouchersRequestedPayload,
} from '@customer-graph/runtime';
import { lockCampaign } from './voucher.campaign';
import type { VoucherCampaignRow } from './voucher.entity';
import { issueCodes } from './voucher.issue';
import { vouchersIssued } from './voucher.events';

type Answer = Pick<VouchersIssuedPayload, 'codes' | 'refused'>;
type Reason = VouchersIssuedPayload['refused'][number]['reason'];

/** The note on a code a marketing campaign issued. */
export const campaignNote = (campaignId: string) => `Chiến dịch ${campaignId}`;

async function lockOrNull(
  tx: EntityManager,
  workspaceId: string,
  id: string,
): Promise<VoucherCampaignRow | null> {
  try {
    return await lockCampaign(tx, workspaceId, id, 'voucherCampaignId');
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === PublicErrorCode.NOT_FOUND) {
      return null;
    }
    throw error;
  }
}

async function issueBatch(
  tx: EntityManager,
  workspaceId: string,
  request: VouchersRequestedPayload,
): Promise<Answer> {
  const customerIds = [...new Set(request.customerIds.map((id) => id.toLowerCase()))];
  const campaign = await lockOrNull(tx, workspaceId, request.voucherCampaignId);
  const refuseAll = (reason: Reason): Answer => ({
    codes: [],
    refused: customerIds.map((customerId) => ({ customerId, reason })),
  });
  if (!campaign) return refuseAll('UNKNOWN_CAMPAIGN');
  if (campaign.endedAt || campaign.validTo.getTime() <= Date.now()) {
    return refuseAll('CAMPAIGN_OVER');
  }
  const survivors = await survivorsOf(tx, workspaceId, customerIds);
  const holder = (id: string) => survivors.get(id) ?? id;
  const heldRows: { customerId: string; n: number }[] = await tx.query(
    `SELECT customer_id AS "customerId", count(*)::int AS n FROM voucher
      WHERE workspace_id = $1 AND campaign_id = $2 AND customer_id = ANY($3::uuid[])
      GROUP BY customer_id`,
    [workspaceId, campaign.id, [...new Set(customerIds.map(holder))]],
  );
  const held = new Map(heldRows.map((h) => [h.customerId, h.n]));
  const given: string[] = [];
  const refused: Answer['refused'] = [];
  for (const customerId of customerIds) {
    const to = holder(customerId);
    const has = held.get(to) ?? 0;
    if (campaign.limitPerCustomer !== null && has + 1 > campaign.limitPerCustomer) {
      refused.push({ customerId, reason: 'LIMIT_PER_CUSTOMER' });
    } else if (
      campaign.limitTotal !== null &&
      campaign.issuedCount + given.length + 1 > campaign.limitTotal
    ) {
      refused.push({ customerId, reason: 'LIMIT_TOTAL' });
    } else {
      given.push(customerId);
      held.set(to, has + 1);
    }
  }
  // Within the limits by construction: issueCodes checks them again and refuses nothing.
  const issued = await issueCodes(
    tx,
    workspaceId,
    campaign.id,
    given.map((id) => ({ customerId: holder(id) })),
    campaignNote(request.campaignId),
  );
  return { codes: given.map((customerId, i) => ({ customerId, code: issued[i].code })), refused };
}

export const onVouchersRequested: EventHandler<typeof VOUCHERS_REQUESTED> = async (
  tx,
  event,
  logger,
) => {
  const { workspaceId } = event;
  const { campaignId, batch, voucherCampaignId } = event.payload;
  const claimed: unknown[] = await tx.query(
    `INSERT INTO voucher_request (workspace_id, campaign_id, batch, voucher_campaign_id)
     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING batch`,
    [workspaceId, campaignId, batch, voucherCampaignId],
  );
  let answer: Answer;
  if (claimed.length === 0) {
    const [row]: { answer: Answer }[] = await tx.query(
      `SELECT answer FROM voucher_request
        WHERE workspace_id = $1 AND campaign_id = $2 AND batch = $3`,
      [workspaceId, campaignId, batch],
    );
    answer = row.answer;
    logger.info('voucher batch answered before; the same codes published again', {
      workspaceId,
      campaignId,
      batch,
    });
  } else {
    answer = await issueBatch(tx, workspaceId, event.payload);
    await tx.query(
      `UPDATE voucher_request SET answer = $4
        WHERE workspace_id = $1 AND campaign_id = $2 AND batch = $3`,
      [workspaceId, campaignId, batch, JSON.stringify(answer)],
    );
  }
  await appendEvent(tx, vouchersIssued(workspaceId, { campaignId, batch, ...answer }));
};
