// contacts.person-export.requested in followers (docs/privacy.md): the Zalo followers
// linked to the customer, as followers.person-export.part.
import { appendEvent, createEvent, FOLLOWERS_PERSON_EXPORT_PART } from '@customer-graph/runtime';
import type { EventHandler, PERSON_EXPORT_REQUESTED } from '@customer-graph/runtime';

export const onPersonExportRequested: EventHandler<typeof PERSON_EXPORT_REQUESTED> = async (
  tx,
  event,
) => {
  const { exportId, customerId } = event.payload;
  const followers: Record<string, unknown>[] = await tx.query(
    `SELECT zalo_user_id AS "zaloUserId", display_name AS "displayName", gender, phone, status,
            followed_at AS "followedAt", linked_at AS "linkedAt"
       FROM zalo_follower WHERE workspace_id = $1 AND customer_id = $2 ORDER BY followed_at`,
    [event.workspaceId, customerId],
  );
  await appendEvent(
    tx,
    createEvent({
      type: FOLLOWERS_PERSON_EXPORT_PART,
      workspaceId: event.workspaceId,
      key: customerId,
      payload: { exportId, customerId, data: { zaloFollowers: followers } },
    }),
  );
};
