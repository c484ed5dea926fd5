// Applying provider reports to messages, set-wise: per request (or per run of Zalo
// events) one statement finds the messages by id, writes their timeline rows
// (message_event; (message, provider event id) is unique, so a duplicate writes
// nothing), and moves each message's status forward; then the opt-outs its
// unsubscribe/complaint rows imply are recorded (consent/), all in the caller's
// transaction.
//
// A message's status is the furthest of its timeline (STATUS_RANK); among reports of
// that status the earliest gives status_at (and failure_reason): the result is the
// same whatever order the reports come in, and a late SENT never overwrites DELIVERED.
// Messages are found by our id, whose time (UUID v7) is the partition key: the
// statement names the exact created_at values, so Postgres reads only their months,
// and each message is one primary-key probe (a LATERAL lookup with LIMIT 1, which the
// planner cannot flatten into a join, so a month freshly filled, not analyzed yet, is
// never scanned whole once per report).
// A report without such an id (an older message, a Zalo message sent without a
// tracking id) is looked up first by the provider's message id.
import type { EntityManager } from 'typeorm';
import { STATUS_RANK } from '../messages/message.entity';
import type { MarketingChannel } from '../messages/message.entity';
import { recordConsents } from '../consent/consent.record';
import type { ConsentReason } from '../consent/consent.entity';
import type { DeliveryReport } from './delivery.wire';

export interface AppliedReports {
  /** Reports in the request. */
  received: number;
  /** New timeline rows written. */
  applied: number;
  /** Reports of a message seen before with the same provider event id: nothing done. */
  repeated: number;
  /** Reports naming no message of ours (on this channel): ignored. */
  unknown: number;
  /** Reports with no status of ours (an email deferral, a type we do not know). */
  ignored: number;
  /** Customers opted out of a channel by these reports. */
  optedOut: number;
}

const RANK_SQL = `CASE e.status ${Object.entries(STATUS_RANK)
  .map(([status, rank]) => `WHEN '${status}' THEN ${rank}`)
  .join(' ')} END`;

/** Fills in our id and month of reports that name only the provider's message id. */
async function findByProviderId(
  tx: EntityManager,
  reports: DeliveryReport[],
  channels: readonly MarketingChannel[],
): Promise<void> {
  const missing = reports.filter((r) => r.createdAt === null && r.providerMessageId !== null);
  if (missing.length === 0) return;
  const rows: { n: number; id: string; createdAt: Date }[] = await tx.query(
    `SELECT DISTINCT ON (i.n) i.n::int AS n, m.id, m.created_at AS "createdAt"
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS i(workspace_id, provider_message_id, n)
       JOIN marketing_message m ON m.provider_message_id = i.provider_message_id
      WHERE m.channel = ANY($3::text[])
        AND (i.workspace_id IS NULL OR m.workspace_id = i.workspace_id)
      ORDER BY i.n, m.created_at DESC`,
    [missing.map((r) => r.workspaceId), missing.map((r) => r.providerMessageId), channels],
  );
  for (const row of rows) {
    missing[row.n - 1].messageId = row.id;
    missing[row.n - 1].createdAt = row.createdAt;
  }
}

export async function applyReports(
  tx: EntityManager,
  channels: readonly MarketingChannel[],
  input: readonly DeliveryReport[],
): Promise<AppliedReports> {
  const reports = input.map((r) => ({ ...r }));
  const ignored = reports.filter((r) => r.status === null).length;
  const mapped = reports.filter((r) => r.status !== null);
  await findByProviderId(tx, mapped, channels);
  const usable = mapped.filter((r) => r.messageId !== null && r.createdAt !== null);
  const months = [...new Set(usable.map((r) => r.createdAt!.getTime()))].map((t) => new Date(t));
  const [row]: {
    found: number;
    applied: number;
    optOuts: {
      workspaceId: string;
      customerId: string;
      channel: MarketingChannel;
      status: ConsentReason;
      at: string;
    }[];
  }[] = await tx.query(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::timestamptz[], $4::text[],
                            $5::timestamptz[], $6::text[], $7::text[])
         AS i(event_id, message_id, created_at, status, at, detail, workspace_id)),
     found AS (
       SELECT i.*, m.ws, m.customer_id, m.channel
         FROM input i
        CROSS JOIN LATERAL (
          SELECT m.workspace_id AS ws, m.customer_id, m.channel FROM marketing_message m
           WHERE m.id = i.message_id AND m.created_at = i.created_at
             AND m.created_at = ANY($8::timestamptz[]) AND m.channel = ANY($9::text[])
             AND (i.workspace_id IS NULL OR m.workspace_id = i.workspace_id)
           LIMIT 1) m),
     ins AS (
       INSERT INTO message_event (workspace_id, message_id, message_created_at, status, at,
                                  detail, provider_event_id)
       SELECT ws, message_id, created_at, status, at, detail, event_id FROM found
       ON CONFLICT DO NOTHING
       RETURNING workspace_id, message_id, message_created_at, status, at, detail, provider_event_id),
     best AS (
       SELECT DISTINCT ON (e.message_id, e.message_created_at) e.*, ${RANK_SQL} AS rank
         FROM ins e
        WHERE ${RANK_SQL} IS NOT NULL
        ORDER BY e.message_id, e.message_created_at, ${RANK_SQL} DESC, e.at, e.provider_event_id),
     moved AS (
       UPDATE marketing_message m
          SET status = b.status, status_at = b.at,
              failure_reason = CASE WHEN b.status = 'FAILED' THEN b.detail END
         FROM best b
        WHERE m.id = b.message_id AND m.created_at = b.message_created_at
          AND m.created_at = ANY($8::timestamptz[]) AND m.id = ANY($2::uuid[])
          AND (m.status_rank < b.rank OR (m.status_rank = b.rank AND b.at < m.status_at))
       RETURNING 1),
     opt_outs AS (
       SELECT DISTINCT ON (f.ws, f.customer_id, f.channel)
              f.ws AS "workspaceId", f.customer_id AS "customerId", f.channel, e.status, e.at
         FROM ins e
         JOIN found f ON f.message_id = e.message_id AND f.event_id = e.provider_event_id
        WHERE e.status IN ('UNSUBSCRIBED', 'COMPLAINED')
        ORDER BY f.ws, f.customer_id, f.channel, e.at)
     SELECT (SELECT count(*) FROM found)::int AS found,
            (SELECT count(*) FROM ins)::int AS applied,
            (SELECT count(*) FROM moved)::int AS moved,
            (SELECT coalesce(json_agg(o), '[]') FROM opt_outs o) AS "optOuts"`,
    [
      usable.map((r) => r.providerEventId),
      usable.map((r) => r.messageId),
      usable.map((r) => r.createdAt),
      usable.map((r) => r.status),
      usable.map((r) => r.at),
      usable.map((r) => r.detail),
      usable.map((r) => r.workspaceId),
      months,
      channels,
    ],
  );
  const changed = await recordConsents(
    tx,
    row.optOuts.map((o) => ({
      workspaceId: o.workspaceId,
      customerId: o.customerId,
      channel: o.channel,
      optedOut: true,
      reason: o.status,
      changedBy: null,
      changedAt: new Date(o.at),
    })),
  );
  return {
    received: reports.length,
    applied: row.applied,
    repeated: row.found - row.applied,
    unknown: mapped.length - row.found,
    ignored,
    optedOut: changed.length,
  };
}
