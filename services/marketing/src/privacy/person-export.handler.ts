// contacts.person-export.requested in marketing (docs/privacy.md): the messages sent to
// the customer (at most PART_ROWS, newest first; an event is one Kafka message) and
// their consent per channel, as marketing.person-export.part.
import { appendEvent, createEvent, MARKETING_PERSON_EXPORT_PART } from '@customer-graph/runtime';
import type { EventHandler, PERSON_EXPORT_REQUESTED } from '@customer-graph/runtime';

export const PART_ROWS = 1000;

export const onPersonExportRequested: EventHandler<typeof PERSON_EXPORT_REQUESTED> = async (
  tx,
  event,
) => {
  const { exportId, customerId } = event.payload;
  const messages = await tx.query(
    `SELECT channel, campaign_name AS "campaignName", address, content_summary AS "content",
            status, sent_at AS "sentAt", created_at AS "createdAt"
       FROM marketing_message WHERE workspace_id = $1 AND customer_id = $2
      ORDER BY created_at DESC LIMIT $3`,
    [event.workspaceId, customerId, PART_ROWS],
  );
  const consents = await tx.query(
    `SELECT channel, opted_out AS "optedOut", reason, changed_at AS "changedAt"
       FROM channel_consent WHERE workspace_id = $1 AND customer_id = $2 ORDER BY channel`,
    [event.workspaceId, customerId],
  );
  await appendEvent(
    tx,
    createEvent({
      type: MARKETING_PERSON_EXPORT_PART,
      workspaceId: event.workspaceId,
      key: customerId,
      payload: { exportId, customerId, data: { messages, consents } },
    }),
  );
};
