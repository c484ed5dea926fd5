// What the campaign resolvers return for each GraphQL type (codegen.mappers.ts).
import type { Connection } from '@customer-graph/runtime';
import type { CampaignRow } from './campaign.entity';

/** A page of campaigns; the total is counted only when asked. */
export type CampaignPage = Connection<CampaignRow> & { count: () => Promise<number> };

/** One campaign's figures, or one part's (campaign.stats.ts). */
export interface StatsRow {
  part: number | null;
  total: number;
  queued: number;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  failed: number;
  notSent: number;
}

export type CampaignStatsRow = StatsRow & { byPart: StatsRow[] };
