// Applying Zalo OA events to the follower list. A shared phone is normalised first
// (an impossible one is refused before anything is written), then stored with the
// phone-shared event in one statement (so one transaction, and one round trip).
//
// Each statement also records the delivery (OA id + SHA-256 of the raw body) in
// zalo_webhook_seen, and writes its effect only if that row is new: a delivery seen
// before is answered but applied once, even when both copies arrive at once (the
// second insert waits for the first to commit, then does nothing). A follow or
// unfollow older than the one the follower's status comes from changes nothing.
import type { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { appendEventSql, normalisePhone, queryPrepared } from '@customer-graph/runtime';
import type { Phone } from '@customer-graph/runtime';
import type { ZaloEvent, ZaloInfo } from '../webhook/zalo-event';
import { EVENT_FRESHNESS_MS } from '../webhook/zalo-event';
import { publishMessageStatus } from '../webhook/message-status';
import { phoneShared } from './follower.events';

/** One webhook request: which OA it came for and its body's SHA-256. */
export interface Delivery {
  oaId: string;
  bodySha256: Buffer;
}

export interface Applied {
  /** Whether the event changed anything. */
  applied: boolean;
  /** The same delivery was applied before: this one changed nothing. */
  duplicate?: true;
}

// $1 the OA id, $2 the body's SHA-256. Nothing selected when seen before.
const SEEN = `seen AS (
  INSERT INTO zalo_webhook_seen (oa_id, body_sha256) VALUES ($1, $2)
  ON CONFLICT DO NOTHING RETURNING 1)`;

const outcome = (rows: { fresh: boolean; applied: boolean }[]): Applied =>
  rows[0].fresh ? { applied: rows[0].applied } : { applied: false, duplicate: true };

/**
 * A webhook's one statement, prepared once per connection (runtime prepared.ts): the
 * texts are constant, so Postgres parses and plans each once, not per webhook.
 */
const run = async (db: DataSource, sql: string, params: unknown[]) =>
  outcome((await queryPrepared<{ fresh: boolean; applied: boolean }>(db, sql, params)).rows);

export async function applyZaloEvent(
  db: DataSource,
  workspaceId: string,
  event: ZaloEvent,
  delivery: Delivery,
): Promise<Applied> {
  const seen = [delivery.oaId, delivery.bodySha256];
  switch (event.kind) {
    case 'follow':
      // A re-follow after an unfollow starts a new follow date; a repeat does not.
      return run(
        db,
        `WITH ${SEEN},
           changed AS (
             INSERT INTO zalo_follower (workspace_id, zalo_user_id, followed_at, status, status_event_at)
             SELECT $3::text, $4::text, $5::timestamptz, 'FOLLOWING', $5::timestamptz FROM seen
             ON CONFLICT (workspace_id, zalo_user_id) DO UPDATE SET
               followed_at = CASE WHEN zalo_follower.status = 'UNFOLLOWED'
                                  THEN EXCLUDED.followed_at ELSE zalo_follower.followed_at END,
               status = 'FOLLOWING',
               status_event_at = EXCLUDED.status_event_at
             WHERE zalo_follower.status_event_at IS NULL
                OR zalo_follower.status_event_at <= EXCLUDED.status_event_at
             RETURNING 1)
           SELECT EXISTS (SELECT 1 FROM seen) AS fresh, EXISTS (SELECT 1 FROM changed) AS applied`,
        [...seen, workspaceId, event.userId, event.at],
      );
    case 'unfollow':
      return run(
        db,
        `WITH ${SEEN},
           changed AS (
             INSERT INTO zalo_follower (workspace_id, zalo_user_id, followed_at, status, status_event_at)
             SELECT $3::text, $4::text, $5::timestamptz, 'UNFOLLOWED', $5::timestamptz FROM seen
             ON CONFLICT (workspace_id, zalo_user_id) DO UPDATE SET
               status = 'UNFOLLOWED',
               status_event_at = EXCLUDED.status_event_at
             WHERE zalo_follower.status_event_at IS NULL
                OR zalo_follower.status_event_at <= EXCLUDED.status_event_at
             RETURNING 1)
           SELECT EXISTS (SELECT 1 FROM seen) AS fresh, EXISTS (SELECT 1 FROM changed) AS applied`,
        [...seen, workspaceId, event.userId, event.at],
      );
    case 'user_submit_info': {
      const phone = normalisePhone(event.info.phone ?? '', 'info.phone');
      return submitInfo(db, workspaceId, event.userId, event.at, event.info, phone, seen);
    }
    case 'message_status':
      return publishMessageStatus(db, workspaceId, event, delivery);
    case 'other':
      return { applied: false };
  }
}

/**
 * The follower's phone and its phone-shared event, written by one autocommit
 * statement: the upsert is a CTE, and the runtime's outbox insert (appendEventSql)
 * takes the follower's id from it (a new follower's id is chosen here, so the event is
 * validated before it is sent; a known follower keeps its id, patched in). One round
 * trip instead of four (BEGIN, upsert, outbox, COMMIT) on the webhook's hot path.
 */
async function submitInfo(
  db: DataSource,
  workspaceId: string,
  userId: string,
  at: Date,
  info: ZaloInfo,
  phone: Phone,
  seen: unknown[],
): Promise<Applied> {
  const event = phoneShared(workspaceId, {
    followerId: randomUUID(),
    zaloUserId: userId,
    phone: phone.typed,
    phoneE164: phone.e164,
    name: info.name ?? null,
    address: info.address ?? null,
    city: info.city ?? null,
    district: info.district ?? null,
    ward: info.ward ?? null,
  });
  const sent = appendEventSql(event, {
    firstParam: 9,
    from: 'follower',
    payloadFrom: { followerId: 'follower.id::text' },
  });
  return run(
    db,
    `WITH ${SEEN},
       follower AS (
         INSERT INTO zalo_follower (id, workspace_id, zalo_user_id, display_name, followed_at, status, phone)
         SELECT $3::uuid, $4::text, $5::text, $6::text, $7::timestamptz, 'FOLLOWING', $8::text FROM seen
         ON CONFLICT (workspace_id, zalo_user_id) DO UPDATE SET
           phone = EXCLUDED.phone,
           display_name = COALESCE(zalo_follower.display_name, EXCLUDED.display_name)
         RETURNING id),
       sent AS (${sent.sql})
       SELECT EXISTS (SELECT 1 FROM seen) AS fresh, EXISTS (SELECT 1 FROM sent) AS applied`,
    [
      ...seen,
      event.payload.followerId,
      workspaceId,
      userId,
      info.name ?? null,
      at,
      phone.typed,
      ...sent.params,
    ],
  );
}

/**
 * Forgets deliveries too old to be accepted again: an event is accepted up to
 * EVENT_FRESHNESS_MS either side of its timestamp, so a delivery received at the
 * earliest moment stays replayable for twice that. Returns how many were forgotten.
 */
export async function pruneSeenDeliveries(db: DataSource): Promise<number> {
  const [, count] = (await db.query(
    `DELETE FROM zalo_webhook_seen WHERE received_at < now() - $1 * interval '1 millisecond'`,
    [2 * EVENT_FRESHNESS_MS + 60_000],
  )) as [unknown, number];
  return count;
}
