import { EntitySchema } from 'typeorm';

export type MarketingChannel = 'SMS' | 'EMAIL' | 'ZNS' | 'ZALO_OA' | 'ZALO_BULK' | 'FACEBOOK';
export type DeliveryStatus = 'QUEUED' | 'SENT' | 'DELIVERED' | 'OPENED' | 'CLICKED' | 'FAILED';

export interface MarketingMessageRow {
  id: string;
  workspaceId: string;
  customerId: string;
  channel: MarketingChannel;
  campaignName: string;
  contentSummary: string | null;
  status: DeliveryStatus;
  failureReason: string | null;
  sentAt: Date;
}

export const MarketingMessageEntity = new EntitySchema<MarketingMessageRow>({
  name: 'MarketingMessage',
  tableName: 'marketing_message',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    workspaceId: { name: 'workspace_id', type: 'text' },
    customerId: { name: 'customer_id', type: 'uuid' },
    channel: { type: 'text' },
    campaignName: { name: 'campaign_name', type: 'text' },
    contentSummary: { name: 'content_summary', type: 'text', nullable: true },
    status: { type: 'text' },
    failureReason: { name: 'failure_reason', type: 'text', nullable: true },
    sentAt: { name: 'sent_at', type: 'timestamptz', precision: 3 },
  },
});
