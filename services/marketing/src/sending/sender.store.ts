// The sender's statements. A message is taken (PENDING → SENDING, sending_since = now,
// attempts + 1) and that is committed BEFORE its provider is called; the provider's
// answer is stored afterwards. A message left SENDING past the lease (the process died
// between the two, or the provider threw) is taken again and sent with the same id:
// providers dedupe on it, so it is never sent twice.
//
// The sender serves every workspace (this is the service's own work, like the job
// worker), oldest campaign first: the statements here are the only ones in marketing
// not bound to one workspace_id; each row still carries its own.
import type { DataSource, EntityManager } from 'typeorm';
import { queryPrepared } from '@customer-graph/runtime';
import { finishIfDone } from '../campaigns/campaign.finish';
import type { MarketingChannel } from '../messages/message.entity';
import type { OutgoingMessage, SendOutcome } from './provider.port';

/** Calls of a provider for one message before it is given up (FAILED). */
export const MAX_SEND_ATTEMPTS = 5;

export interface TakenMessage extends OutgoingMessage {
  createdAt: Date;
  campaignId: string | null;
  attempts: number;
}

/**
 * Whether the channel has a campaign SENDING, or cancelled in the last hour (messages it
 * had with a provider when cancelled finish, or are given up, like any other): the only
 * ones with messages to send or settle (a campaign is SENT once none is PENDING, SENDING
 * or waiting for its code). Asked of the small campaign table before the partitioned
 * message table is touched, so an idle sender costs next to nothing.
 */
export async function hasCampaignSending(
  db: DataSource,
  channel: MarketingChannel,
): Promise<boolean> {
  const { rows } = await queryPrepared(
    db,
    `SELECT 1 FROM campaign WHERE channel = $1 AND (status = 'SENDING'
       OR (status = 'CANCELLED' AND updated_at > now() - interval '1 hour')) LIMIT 1`,
    [channel],
  );
  return rows.length > 0;
}

/** Takes up to `limit` messages of the channel to send, committed as SENDING. */
export async function takeMessages(
  db: DataSource,
  channel: MarketingChannel,
  limit: number,
  leaseMs: number,
): Promise<TakenMessage[]> {
  const { rows } = await queryPrepared<TakenMessage>(
    db,
    `WITH taken AS (
       SELECT m.id, m.created_at, m.workspace_id, m.campaign_id FROM marketing_message m
        WHERE m.channel = $1
          AND (m.send_state = 'PENDING'
               OR (m.send_state = 'SENDING' AND m.sending_since < now() - make_interval(secs => $3)))
        ORDER BY m.created_at, m.id LIMIT $2 FOR UPDATE SKIP LOCKED)
     UPDATE marketing_message m
        SET send_state = 'SENDING', sending_since = now(), attempts = m.attempts + 1
       FROM taken LEFT JOIN campaign c
            ON c.workspace_id = taken.workspace_id AND c.id = taken.campaign_id
      WHERE m.id = taken.id AND m.created_at = taken.created_at
      RETURNING m.id AS "messageId", m.workspace_id AS "workspaceId", m.address,
        m.content_summary AS "contentSummary", c.template_id AS "templateId",
        m.voucher_code AS "voucherCode", m.created_at AS "createdAt",
        m.campaign_id AS "campaignId", m.attempts`,
    [channel, limit, leaseMs / 1000],
  );
  return rows;
}

/**
 * Stores the provider's answers: accepted → SENT (unless a delivery report got further
 * first), refused for good or too often → FAILED with the reason; each with its step in
 * the timeline (provider event id `send`), sent_at = when the provider was called.
 * A temporary refusal goes back to PENDING. Then the campaigns may be finished.
 */
export async function storeOutcomes(
  db: DataSource,
  taken: readonly TakenMessage[],
  outcomes: readonly SendOutcome[],
  calledAt: Date,
): Promise<void> {
  const byId = new Map(taken.map((m) => [m.messageId, m]));
  interface Answer {
    m: TakenMessage;
    state: 'SENT' | 'FAILED' | 'RETRY';
    providerId: string | null;
    reason: string | null;
  }
  const rows = outcomes.flatMap((o): Answer[] => {
    const m = byId.get(o.messageId);
    if (!m) return [];
    if ('providerMessageId' in o) {
      return [{ m, state: 'SENT', providerId: o.providerMessageId, reason: null }];
    }
    const giveUp = o.error.permanent || m.attempts >= MAX_SEND_ATTEMPTS;
    return [{ m, state: giveUp ? 'FAILED' : 'RETRY', providerId: null, reason: o.error.reason }];
  });
  if (rows.length === 0) return;
  await db.transaction(async (tx: EntityManager) => {
    await tx.query(
      `WITH answer AS (
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[])
           AS a (id, created_at, state, provider_id, reason)),
       stored AS (
         UPDATE marketing_message m SET
           send_state = CASE WHEN a.state = 'RETRY' THEN 'PENDING' ELSE 'DONE' END,
           sending_since = NULL,
           provider_message_id = coalesce(a.provider_id, m.provider_message_id),
           sent_at = CASE WHEN a.state = 'RETRY' THEN m.sent_at ELSE $6 END,
           status = CASE WHEN a.state = 'SENT' AND m.status_rank < 1 THEN 'SENT'
                         WHEN a.state = 'FAILED' AND m.status_rank < 2 THEN 'FAILED'
                         ELSE m.status END,
           status_at = CASE WHEN a.state = 'RETRY' THEN m.status_at ELSE $6 END,
           failure_reason = CASE WHEN a.state = 'FAILED' THEN a.reason ELSE m.failure_reason END
           FROM answer a
          WHERE m.id = a.id AND m.created_at = a.created_at AND m.send_state = 'SENDING'
          RETURNING m.id, m.created_at, m.workspace_id, a.state, a.reason)
       INSERT INTO message_event (workspace_id, message_id, message_created_at, status, at,
         detail, provider_event_id)
       SELECT s.workspace_id, s.id, s.created_at, s.state, $6, s.reason, 'send'
         FROM stored s WHERE s.state <> 'RETRY'
       ON CONFLICT DO NOTHING`,
      [
        rows.map((r) => r.m.messageId),
        rows.map((r) => r.m.createdAt),
        rows.map((r) => r.state),
        rows.map((r) => r.providerId),
        rows.map((r) => r.reason),
        calledAt,
      ],
    );
    const campaigns = new Map<string, Set<string>>();
    for (const { m } of rows) {
      if (!m.campaignId) continue;
      campaigns.set(m.workspaceId, (campaigns.get(m.workspaceId) ?? new Set()).add(m.campaignId));
    }
    for (const [workspaceId, ids] of campaigns) await finishIfDone(tx, workspaceId, [...ids]);
  });
}

/**
 * Gives up messages SENDING past the lease that have used every attempt (a provider
 * that never answers): FAILED 'NO_ANSWER', so their campaign can finish.
 */
export async function giveUpUnanswered(
  db: DataSource,
  channel: MarketingChannel,
  leaseMs: number,
): Promise<void> {
  await queryPrepared(
    db,
    `WITH given_up AS (
       UPDATE marketing_message m SET send_state = 'DONE', sending_since = NULL,
              status = CASE WHEN m.status_rank < 2 THEN 'FAILED' ELSE m.status END,
              status_at = now(), failure_reason = 'NO_ANSWER: the provider did not answer'
        WHERE m.channel = $1 AND m.send_state = 'SENDING' AND m.attempts >= $2
          AND m.sending_since < now() - make_interval(secs => $3)
        RETURNING m.id, m.created_at, m.workspace_id)
     INSERT INTO message_event (workspace_id, message_id, message_created_at, status, at,
       detail, provider_event_id)
     SELECT g.workspace_id, g.id, g.created_at, 'FAILED', now(), 'NO_ANSWER', 'send'
       FROM given_up g ON CONFLICT DO NOTHING`,
    [channel, MAX_SEND_ATTEMPTS, leaseMs / 1000],
  );
}
