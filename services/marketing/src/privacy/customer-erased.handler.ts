// contacts.customer.erased in marketing (docs/privacy.md). Campaigns keep their counts:
// the person's messages stay as rows (channel, campaign, status, times) but lose the
// address, the content and the failure text; their timeline rows (message_event) lose
// their detail; both tables are partitioned by month and updated through the parent,
// so every month's partition is reached. A message not yet sent is not sent: it ends
// FAILED ("erased"). The consent rows go; the sandbox provider's copies lose the
// address; a campaign's audience filter loses the person's values. Then the event
// tables are scrubbed and marketing.customer.erasure-done answers, once.
import {
  appendEvent,
  claimErasure,
  createEvent,
  ERASED,
  MARKETING_CUSTOMER_ERASURE_DONE,
  personMatcher,
  scrubColumn,
  scrubEventTables,
} from '@customer-graph/runtime';
import type { CUSTOMER_ERASED, EventHandler } from '@customer-graph/runtime';

export const onCustomerErased: EventHandler<typeof CUSTOMER_ERASED> = async (tx, event) => {
  const { workspaceId: ws, payload } = event;
  const { customerId } = payload;
  if (!(await claimErasure(tx, ws, payload))) return;
  const addresses: { address: string }[] = await tx.query(
    `SELECT DISTINCT address FROM marketing_message
      WHERE workspace_id = $1 AND customer_id = $2 AND address IS NOT NULL`,
    [ws, customerId],
  );
  const emails = addresses.map((a) => a.address).filter((a) => a.includes('@'));
  const phones = addresses.map((a) => a.address).filter((a) => !a.includes('@'));
  const [messages]: [{ id: string; created_at: Date }[], number] = await tx.query(
    `UPDATE marketing_message SET address = NULL, content_summary = NULL,
       failure_reason = CASE WHEN send_state = 'DONE' THEN NULL ELSE 'erased' END,
       status = CASE WHEN send_state = 'DONE' THEN status ELSE 'FAILED' END,
       status_at = CASE WHEN send_state = 'DONE' THEN status_at ELSE now() END,
       send_state = 'DONE'
      WHERE workspace_id = $1 AND customer_id = $2
      RETURNING id, created_at`,
    [ws, customerId],
  );
  const [, messageEventsScrubbed] = await tx.query(
    `UPDATE message_event e SET detail = NULL
       FROM unnest($2::uuid[], $3::timestamptz[]) AS m(id, created_at)
      WHERE e.workspace_id = $1 AND e.message_id = m.id AND e.message_created_at = m.created_at
        AND e.detail IS NOT NULL`,
    [ws, messages.map((m) => m.id), messages.map((m) => m.created_at)],
  );
  const [, consentsRemoved] = await tx.query(
    'DELETE FROM channel_consent WHERE workspace_id = $1 AND customer_id = $2',
    [ws, customerId],
  );
  const [, providerRowsScrubbed] = await tx.query(
    `UPDATE sandbox_provider_message SET address = $3
      WHERE workspace_id = $1 AND (idempotency_key = ANY($2::text[]) OR address = ANY($4::text[]))`,
    [ws, messages.map((m) => m.id), ERASED, addresses.map((a) => a.address)],
  );
  const matcher = personMatcher({ customerIds: [customerId], phones, emails });
  const campaignsScrubbed = await scrubColumn(tx, ws, matcher, {
    table: 'campaign',
    keys: ['id'],
    column: 'audience',
    kind: 'jsonb',
  });
  const scrubbed = await scrubEventTables(tx, ws, matcher, [MARKETING_CUSTOMER_ERASURE_DONE]);
  await appendEvent(
    tx,
    createEvent({
      type: MARKETING_CUSTOMER_ERASURE_DONE,
      workspaceId: ws,
      key: customerId,
      payload: {
        customerId,
        erasureId: payload.erasureId,
        removed: {
          messagesScrubbed: messages.length,
          messageEventsScrubbed,
          consentsRemoved,
          providerRowsScrubbed,
          campaignsScrubbed,
          outboxScrubbed: scrubbed.outbox,
          deadLettersScrubbed: scrubbed.deadLetters,
        },
      },
    }),
  );
};
