// Recording consent changes, set-wise, in the caller's transaction: each change that
// changes something (a new row, or opted_out flipped) counts the row's version up by
// one and publishes marketing.consent.changed with that version through the outbox,
// so contacts (which applies only a newer version) leaves the customer out of
// audiences. A change to what is already recorded writes and publishes nothing.
import type { EntityManager } from 'typeorm';
import { CONSENT_CHANGED, appendEvents, createEvent } from '@customer-graph/runtime';
import type { EventOf } from '@customer-graph/runtime';
import type { MarketingChannel } from '../messages/message.entity';
import type { ChannelConsentRow, ConsentReason } from './consent.entity';
import { CONSENT_COLUMNS } from './consent.entity';

export interface ConsentChange {
  workspaceId: string;
  customerId: string;
  channel: MarketingChannel;
  optedOut: boolean;
  reason: ConsentReason;
  changedBy: string | null;
  changedAt: Date;
}

const keyOf = (c: Pick<ConsentChange, 'workspaceId' | 'customerId' | 'channel'>) =>
  `${c.workspaceId} ${c.customerId} ${c.channel}`;

/**
 * Applies the changes (the first of several for one customer and channel wins) and
 * returns the rows that changed, each with its new version; their events are in the
 * outbox of `tx`.
 */
export async function recordConsents(
  tx: EntityManager,
  changes: readonly ConsentChange[],
): Promise<ChannelConsentRow[]> {
  const seen = new Set<string>();
  const list = changes.filter((c) => !seen.has(keyOf(c)) && seen.add(keyOf(c)));
  if (list.length === 0) return [];
  // Every row is named by its own workspace: the caller's (a mutation) or the
  // message's (a provider report), never a client's word.
  const changed: ChannelConsentRow[] = await tx.query(
    `INSERT INTO channel_consent AS c (workspace_id, customer_id, channel, opted_out, reason,
       changed_by, changed_at, version)
     SELECT *, 1 FROM unnest($1::text[], $2::uuid[], $3::text[], $4::boolean[], $5::text[],
       $6::text[], $7::timestamptz[])
     ON CONFLICT (workspace_id, customer_id, channel) DO UPDATE SET
       opted_out = EXCLUDED.opted_out, reason = EXCLUDED.reason,
       changed_by = EXCLUDED.changed_by, changed_at = EXCLUDED.changed_at,
       version = c.version + 1
     WHERE c.opted_out IS DISTINCT FROM EXCLUDED.opted_out
     RETURNING ${CONSENT_COLUMNS}`,
    [
      list.map((c) => c.workspaceId),
      list.map((c) => c.customerId),
      list.map((c) => c.channel),
      list.map((c) => c.optedOut),
      list.map((c) => c.reason),
      list.map((c) => c.changedBy),
      list.map((c) => c.changedAt),
    ],
  );
  await appendEvents(tx, changed.map(consentChanged));
  return changed;
}

export function consentChanged(row: ChannelConsentRow): EventOf<typeof CONSENT_CHANGED> {
  return createEvent({
    type: CONSENT_CHANGED,
    workspaceId: row.workspaceId,
    key: row.customerId,
    payload: {
      customerId: row.customerId,
      channel: row.channel,
      optedOut: row.optedOut,
      version: row.version,
      reason: row.reason,
    },
  });
}
