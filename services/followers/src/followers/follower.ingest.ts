// Applying Zalo OA events to the follower list. A shared phone is normalised first
// (an impossible one is refused before anything is written), then stored with the
// phone-shared event in one transaction.
import type { DataSource } from 'typeorm';
import { appendEvent, normalisePhone } from '@customer-graph/runtime';
import type { ZaloEvent } from '../webhook/zalo-event';
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
      await db.transaction(async (tx) => {
        const [follower] = await tx.query(
          `INSERT INTO zalo_follower (workspace_id, zalo_user_id, display_name, followed_at, status, phone)
           VALUES ($1, $2, $3, $4, 'FOLLOWING', $5)
           ON CONFLICT (workspace_id, zalo_user_id) DO UPDATE SET
             phone = EXCLUDED.phone,
             display_name = COALESCE(zalo_follower.display_name, EXCLUDED.display_name)
           RETURNING id`,
          [workspaceId, event.userId, event.info.name ?? null, event.at, phone.typed],
        );
        await appendEvent(
          tx,
          phoneShared(workspaceId, {
            followerId: follower.id,
            zaloUserId: event.userId,
            phone: phone.typed,
            phoneE164: phone.e164,
            name: event.info.name ?? null,
            address: event.info.address ?? null,
            city: event.info.city ?? null,
            district: event.info.district ?? null,
            ward: event.info.ward ?? null,
          }),
        );
      });
      return { applied: true };
    }
    case 'other':
      return { applied: false };
  }
}
