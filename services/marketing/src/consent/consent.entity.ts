// A customer's consent to marketing on one channel (channel_consent, created by the
// foundation migration 1765300000000-MarketingHistory.ts): one row per (customer,
// channel) once anything was recorded; no row means never opted out.
import type { MarketingChannel } from '../messages/message.entity';

export type ConsentReason = 'UNSUBSCRIBED' | 'COMPLAINED' | 'STAFF';

export interface ChannelConsentRow {
  workspaceId: string;
  customerId: string;
  channel: MarketingChannel;
  optedOut: boolean;
  reason: ConsentReason;
  /** The staff member's user id; null when a provider's report changed it. */
  changedBy: string | null;
  changedAt: Date;
  /** Counts up by one per change; contacts applies only a newer one. */
  version: number;
}

/** The columns of a ChannelConsentRow, from channel_consent (aliased `c`). */
export const CONSENT_COLUMNS = `c.workspace_id AS "workspaceId", c.customer_id AS "customerId",
  c.channel, c.opted_out AS "optedOut", c.reason, c.changed_by AS "changedBy",
  c.changed_at AS "changedAt", c.version`;
