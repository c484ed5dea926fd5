// contacts.customer.erased in followers (docs/privacy.md): the person's followers are
// unlinked (as a deletion does, customer-deleted.handler.ts) and lose what the person
// shared: the phone and the profile name, also on a follower not linked who shared one
// of their numbers. The follower itself stays (the Zalo user still follows the OA).
// The outbox and dead letters are scrubbed, and followers.customer.erasure-done
// answers, once per erasure.
import {
  appendEvent,
  claimErasure,
  createEvent,
  CUSTOMER_DELETED,
  FOLLOWERS_CUSTOMER_ERASURE_DONE,
  personMatcher,
  scrubEventTables,
} from '@customer-graph/runtime';
import type { CUSTOMER_ERASED, EventHandler } from '@customer-graph/runtime';
import { onCustomerDeleted } from '../followers/customer-deleted.handler';

export const onCustomerErased: EventHandler<typeof CUSTOMER_ERASED> = async (tx, event, logger) => {
  const { workspaceId: ws, payload } = event;
  if (!(await claimErasure(tx, ws, payload))) return;
  const linked: { id: string; phone: string | null; display_name: string | null }[] =
    await tx.query(
      'SELECT id, phone, display_name FROM zalo_follower WHERE workspace_id = $1 AND customer_id = $2',
      [ws, payload.customerId],
    );
  const byPhone = personMatcher({ phones: linked.map((f) => f.phone) });
  const sharers: { id: string; phone: string | null; display_name: string | null }[] = byPhone
    ? await tx.query(
        `SELECT id, phone, display_name FROM zalo_follower
          WHERE workspace_id = $1 AND customer_id IS NULL AND phone ~* $2`,
        [ws, byPhone.sql],
      )
    : [];
  const followers = [...linked, ...sharers.filter((f) => byPhone!.test(f.phone ?? ''))];
  await onCustomerDeleted(
    tx,
    {
      ...event,
      type: CUSTOMER_DELETED,
      payload: { customerId: payload.customerId, deletedBy: payload.erasedBy },
    },
    logger,
  );
  const [, cleared] = await tx.query(
    `UPDATE zalo_follower SET phone = NULL, display_name = NULL
      WHERE workspace_id = $1 AND id = ANY($2::uuid[])`,
    [ws, followers.map((f) => f.id)],
  );
  const matcher = personMatcher({
    customerIds: [payload.customerId],
    phones: followers.map((f) => f.phone),
    texts: followers.map((f) => f.display_name),
  });
  const scrubbed = await scrubEventTables(tx, ws, matcher, [FOLLOWERS_CUSTOMER_ERASURE_DONE]);
  await appendEvent(
    tx,
    createEvent({
      type: FOLLOWERS_CUSTOMER_ERASURE_DONE,
      workspaceId: ws,
      key: payload.customerId,
      payload: {
        customerId: payload.customerId,
        erasureId: payload.erasureId,
        removed: {
          followersUnlinked: linked.length,
          followerValuesRemoved: cleared,
          outboxScrubbed: scrubbed.outbox,
          deadLettersScrubbed: scrubbed.deadLetters,
        },
      },
    }),
  );
};
