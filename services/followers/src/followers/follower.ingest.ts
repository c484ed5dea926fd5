// Applying Zalo OA events to the follower list. A shared phone is normalised first
// (an impossible one is refused before anything is written), then stored with the
// phone-shared event in one statement (so one transaction, and one round trip).
import type { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { OUTBOX_CHANNEL, assertValidEvent, normalisePhone } from '@customer-graph/runtime';
import type { Phone } from '@customer-graph/runtime';
import type { ZaloEvent, ZaloInfo } from '../webhook/zalo-event';
import { phoneShared } from './follower.events';

export async function applyZaloEvent(
  db: DataSource,
  workspaceId: string,
  event: ZaloEvent,
): Promise<{ applied: boolean }> {
  switch (event.kind) {
    case 'follow':
      // A re-follow after an unfollow starts a new follow date; a repeat does not.
      await db.query(
        `INSERT INTO zalo_follower (workspace_id, zalo_user_id, followed_at, status)
         VALUES ($1, $2, $3, 'FOLLOWING')
         ON CONFLICT (workspace_id, zalo_user_id) DO UPDATE SET
           followed_at = CASE WHEN zalo_follower.status = 'UNFOLLOWED'
                              THEN EXCLUDED.followed_at ELSE zalo_follower.followed_at END,
           status = 'FOLLOWING'`,
        [workspaceId, event.userId, event.at],
      );
      return { applied: true };
    case 'unfollow':
      await db.query(
        `INSERT INTO zalo_follower (workspace_id, zalo_user_id, followed_at, status)
         VALUES ($1, $2, $3, 'UNFOLLOWED')
         ON CONFLICT (workspace_id, zalo_user_id) DO UPDATE SET status = 'UNFOLLOWED'`,
        [workspaceId, event.userId, event.at],
      );
      return { applied: true };
    case 'user_submit_info': {
      const phone = normalisePhone(event.info.phone ?? '', 'info.phone');
      await submitInfo(db, workspaceId, event.userId, event.at, event.info, phone);
      return { applied: true };
    }
    case 'other':
      return { applied: false };
  }
}

/**
 * The follower's phone and its phone-shared event, written by one autocommit
 * statement: the upsert is a CTE, and the outbox row takes the follower's id from it
 * (a new follower's id is chosen here, so the event is validated before it is sent;
 * a known follower keeps its id, patched in). One round trip instead of four
 * (BEGIN, upsert, outbox, COMMIT) on the webhook's hot path.
 */
async function submitInfo(
  db: DataSource,
  workspaceId: string,
  userId: string,
  at: Date,
  info: ZaloInfo,
  phone: Phone,
): Promise<void> {
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
  assertValidEvent(event);
  await db.query(
    `WITH follower AS (
       INSERT INTO zalo_follower (id, workspace_id, zalo_user_id, display_name, followed_at, status, phone)
       VALUES ($1, $2, $3, $4, $5, 'FOLLOWING', $6)
       ON CONFLICT (workspace_id, zalo_user_id) DO UPDATE SET
         phone = EXCLUDED.phone,
         display_name = COALESCE(zalo_follower.display_name, EXCLUDED.display_name)
       RETURNING id)
     INSERT INTO outbox (id, workspace_id, topic, key, value)
     SELECT $7, $2, $8, $9, jsonb_set($10::jsonb, '{payload,followerId}', to_jsonb(follower.id::text))
       FROM follower, (SELECT pg_notify('${OUTBOX_CHANNEL}', '')) AS wake`,
    [
      event.payload.followerId,
      workspaceId,
      userId,
      info.name ?? null,
      at,
      phone.typed,
      event.id,
      event.type,
      event.key,
      JSON.stringify(event),
    ],
  );
}
