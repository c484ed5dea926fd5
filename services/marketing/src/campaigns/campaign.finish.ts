// A SENDING campaign becomes SENT once contacts has resolved its audience, every batch
// of it has arrived, and none of its messages is left to send (PENDING, SENDING,
// WAITING_VOUCHER). Whoever may have done the last of these checks, in its transaction:
// the audience handlers, the voucher handler, the sender.
//
// The campaign rows are locked first, so of two transactions checking at once the
// second waits for the first to commit and its check (a new statement, a new
// snapshot) sees both changes: the last one to finish always notices.
import type { EntityManager } from 'typeorm';

export async function finishIfDone(
  tx: Pick<EntityManager, 'query'>,
  workspaceId: string,
  campaignIds: readonly string[],
): Promise<void> {
  if (campaignIds.length === 0) return;
  const ids = [...new Set(campaignIds)].sort();
  await tx.query(
    `SELECT 1 FROM campaign WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND status = 'SENDING'
      ORDER BY id FOR UPDATE`,
    [workspaceId, ids],
  );
  // The first NOT EXISTS reads the sender's index (channel, created_at) WHERE PENDING or
  // SENDING; only a voucher campaign needs to look for WAITING_VOUCHER messages.
  await tx.query(
    `UPDATE campaign c SET status = 'SENT', finished_at = now(), updated_at = now()
      WHERE c.workspace_id = $1 AND c.id = ANY($2::uuid[]) AND c.status = 'SENDING'
        AND c.audience_batches IS NOT NULL
        AND (SELECT count(*) FROM campaign_audience_batch b
              WHERE b.campaign_id = c.id) >= c.audience_batches
        AND NOT EXISTS (SELECT 1 FROM marketing_message m
              WHERE m.channel = c.channel AND m.created_at = c.started_at
                AND m.send_state IN ('PENDING', 'SENDING')
                AND m.workspace_id = c.workspace_id AND m.campaign_id = c.id)
        AND (c.voucher_campaign_id IS NULL OR NOT EXISTS (SELECT 1 FROM marketing_message m
              WHERE m.workspace_id = c.workspace_id AND m.campaign_id = c.id
                AND m.created_at = c.started_at AND m.send_state = 'WAITING_VOUCHER'))`,
    [workspaceId, ids],
  );
}
