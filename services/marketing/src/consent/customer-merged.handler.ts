// contacts.customer.merged: the survivor is opted out of every channel any merged
// customer was opted out of (contacts makes the same union in its projection). Each
// channel newly opted out counts the survivor's version up and is published, so the
// two stay in step. Idempotent: a second delivery finds the survivor opted out already.
import { mergeTarget } from '@customer-graph/runtime';
import type { CUSTOMER_MERGED, EventHandler } from '@customer-graph/runtime';
import type { ChannelConsentRow } from './consent.entity';
import { CONSENT_COLUMNS } from './consent.entity';
import { recordConsents } from './consent.record';

export const onCustomerMergedConsent: EventHandler<typeof CUSTOMER_MERGED> = async (tx, event) => {
  const survivor = await mergeTarget(tx, event);
  const optedOut: ChannelConsentRow[] = await tx.query(
    `SELECT DISTINCT ON (c.channel) ${CONSENT_COLUMNS} FROM channel_consent c
      WHERE c.workspace_id = $1 AND c.customer_id = ANY($2::uuid[]) AND c.opted_out
      ORDER BY c.channel, c.changed_at DESC`,
    [event.workspaceId, event.payload.mergedIds],
  );
  await recordConsents(
    tx,
    optedOut.map((row) => ({ ...row, customerId: survivor })),
  );
};
