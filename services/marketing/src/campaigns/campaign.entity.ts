// Campaigns (messages/migrations/1765300000000-MarketingHistory.ts): what is sent, on
// which channel, to which audience, and where the campaign is in its life.
import { EntitySchema } from 'typeorm';
import type { MarketingChannel } from '../messages/message.entity';

export type CampaignStatus = 'DRAFT' | 'SCHEDULED' | 'SENDING' | 'SENT' | 'CANCELLED' | 'FAILED';

/** The audience as given (the `audience` jsonb column; marketing.audience.requested's). */
export interface CampaignAudienceRow {
  listId: string | null;
  filter: Record<string, unknown> | null;
  splitParts: number | null;
  part: number | null;
}

export interface CampaignRow {
  id: string;
  workspaceId: string;
  name: string;
  channel: MarketingChannel;
  contentSummary: string | null;
  templateId: string | null;
  voucherCampaignId: string | null;
  audience: CampaignAudienceRow;
  status: CampaignStatus;
  scheduledAt: Date | null;
  /** The audience's freeze, and the created_at (partition) of every message. */
  startedAt: Date | null;
  finishedAt: Date | null;
  failureReason: string | null;
  /** How many member batches contacts sent; null until contacts.audience.resolved. */
  audienceBatches: number | null;
  audienceMembers: number | null;
  excludedRestricted: number | null;
  excludedOptedOut: number | null;
  excludedNoAddress: number | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const ts = (name: string, nullable = false) => ({
  name,
  type: 'timestamptz' as const,
  precision: 3,
  nullable,
});
const int = (name: string) => ({ name, type: 'int' as const, nullable: true });

export const CampaignEntity = new EntitySchema<CampaignRow>({
  name: 'Campaign',
  tableName: 'campaign',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    workspaceId: { name: 'workspace_id', type: 'text' },
    name: { type: 'text' },
    channel: { type: 'text' },
    contentSummary: { name: 'content_summary', type: 'text', nullable: true },
    templateId: { name: 'template_id', type: 'text', nullable: true },
    voucherCampaignId: { name: 'voucher_campaign_id', type: 'uuid', nullable: true },
    audience: { type: 'jsonb' },
    status: { type: 'text' },
    scheduledAt: ts('scheduled_at', true),
    startedAt: ts('started_at', true),
    finishedAt: ts('finished_at', true),
    failureReason: { name: 'failure_reason', type: 'text', nullable: true },
    audienceBatches: int('audience_batches'),
    audienceMembers: int('audience_members'),
    excludedRestricted: int('excluded_restricted'),
    excludedOptedOut: int('excluded_opted_out'),
    excludedNoAddress: int('excluded_no_address'),
    createdBy: { name: 'created_by', type: 'text' },
    createdAt: ts('created_at'),
    updatedAt: ts('updated_at'),
  },
});

/** The columns of `campaign c` as CampaignRow properties, for raw SQL. */
export const CAMPAIGN_SELECT = Object.entries(CampaignEntity.options.columns)
  .map(([prop, col]) => `c.${(col as { name?: string }).name ?? prop} AS "${prop}"`)
  .join(', ');
