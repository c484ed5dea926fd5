// user_received_message / user_seen_message: passed on to marketing as
// followers.zalo.message-status, one event per message named, through the outbox in
// the transaction that records the delivery (zalo_webhook_seen), so a delivery seen
// before publishes nothing again. Followers keeps nothing else of them.
import type { DataSource } from 'typeorm';
import { ZALO_MESSAGE_STATUS, appendEvents, createEvent } from '@customer-graph/runtime';
import type { Applied, Delivery } from '../followers/follower.ingest';
import type { ZaloEvent } from './zalo-event';

export async function publishMessageStatus(
  db: DataSource,
  workspaceId: string,
  event: Extract<ZaloEvent, { kind: 'message_status' }>,
  delivery: Delivery,
): Promise<Applied> {
  return db.transaction(async (tx) => {
    const seen = await tx.query(
      `INSERT INTO zalo_webhook_seen (oa_id, body_sha256) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [delivery.oaId, delivery.bodySha256],
    );
    if (seen.length === 0) return { applied: false, duplicate: true };
    await appendEvents(
      tx,
      event.messages.map(({ zaloMessageId, trackingId }) =>
        createEvent({
          type: ZALO_MESSAGE_STATUS,
          workspaceId,
          key: trackingId ?? zaloMessageId,
          payload: {
            oaId: delivery.oaId,
            status: event.status,
            zaloMessageId,
            trackingId,
            at: event.at.toISOString(),
          },
        }),
      ),
    );
    return { applied: true };
  });
}
