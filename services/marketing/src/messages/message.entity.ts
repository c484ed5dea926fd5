// Marketing messages (migrations/1765300000000-MarketingHistory.ts): one message to one
// customer on one channel, mostly of a campaign; partitioned by month of created_at.
import { EntitySchema } from 'typeorm';

export type MarketingChannel = 'SMS' | 'EMAIL' | 'ZNS' | 'ZALO_OA' | 'ZALO_BULK' | 'FACEBOOK';
export type DeliveryStatus = 'QUEUED' | 'SENT' | 'FAILED' | 'DELIVERED' | 'OPENED' | 'CLICKED';
/** The sender's progress with a message (sending/…): DONE once the provider answered. */
export type SendState = 'WAITING_VOUCHER' | 'PENDING' | 'SENDING' | 'DONE';

/**
 * How far each status is: a message's status is the furthest its timeline reached, so a
 * late SENT never overwrites DELIVERED (the table's generated status_rank says the same).
 */
export const STATUS_RANK: Readonly<Record<DeliveryStatus, number>> = {
  QUEUED: 0,
  SENT: 1,
  FAILED: 2,
  DELIVERED: 3,
  OPENED: 4,
  CLICKED: 5,
};

export interface MarketingMessageRow {
  id: string;
  workspaceId: string;
  customerId: string;
  campaignId: string | null;
  channel: MarketingChannel;
  campaignName: string;
  /** The phone, email or platform id it went to. */
  address: string | null;
  /** The group of a split audience the customer was in. */
  splitPart: number | null;
  contentSummary: string | null;
  voucherCode: string | null;
  status: DeliveryStatus;
  statusAt: Date;
  failureReason: string | null;
  sendState: SendState;
  attempts: number;
  providerMessageId: string | null;
  /** When the provider accepted it; null while queued. */
  sentAt: Date | null;
  /** The partition key: a campaign's messages share their campaign's start. */
  createdAt: Date;
}

const ts = (name: string, nullable = false) => ({
  name,
  type: 'timestamptz' as const,
  precision: 3,
  nullable,
});

export const MarketingMessageEntity = new EntitySchema<MarketingMessageRow>({
  name: 'MarketingMessage',
  tableName: 'marketing_message',
  columns: {
    id: { type: 'uuid', primary: true },
    workspaceId: { name: 'workspace_id', type: 'text' },
    customerId: { name: 'customer_id', type: 'uuid' },
    campaignId: { name: 'campaign_id', type: 'uuid', nullable: true },
    channel: { type: 'text' },
    campaignName: { name: 'campaign_name', type: 'text' },
    address: { type: 'text', nullable: true },
    splitPart: { name: 'split_part', type: 'int', nullable: true },
    contentSummary: { name: 'content_summary', type: 'text', nullable: true },
    voucherCode: { name: 'voucher_code', type: 'text', nullable: true },
    status: { type: 'text' },
    statusAt: ts('status_at'),
    failureReason: { name: 'failure_reason', type: 'text', nullable: true },
    sendState: { name: 'send_state', type: 'text' },
    attempts: { type: 'int' },
    providerMessageId: { name: 'provider_message_id', type: 'text', nullable: true },
    sentAt: ts('sent_at', true),
    createdAt: { ...ts('created_at'), primary: true },
  },
});
