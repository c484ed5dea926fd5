// campaignFunnel: what became of the messages of one campaign, or of the campaigns of a
// filter, per combination of keys, in one statement. Each campaign's messages are found
// as Campaign.stats finds them (campaigns/campaign.stats.ts): by campaign_id and
// created_at = the campaign's start, so a range of starts prunes the month partitions.
// The figures count as Campaign.stats does (status_rank: QUEUED 0, SENT 1, FAILED 2,
// DELIVERED 3, OPENED 4, CLICKED 5; a FAILED message was sent only when handed over,
// sent_at set); test/campaign-funnel.test.ts holds the two to the same numbers.
import type { DataSource } from 'typeorm';
import {
  badInput,
  dayKey,
  groupedStatsSql,
  isUuid,
  projectedScopeSql,
  readGroups,
} from '@customer-graph/runtime';
import type { CustomerScope, StatsGroup, StatsKey } from '@customer-graph/runtime';
import type { CampaignFunnelFilter, CampaignFunnelKey } from '../generated/graphql';
import { MESSAGE_FIGURES } from '../campaigns/campaign.stats';

const KEYS: Readonly<Record<CampaignFunnelKey, StatsKey>> = {
  CAMPAIGN: { group: 'c.id' },
  CHANNEL: { group: 'c.channel' },
  PART: { group: 'm.split_part' },
  DAY: dayKey('c.started_at', 'day'),
  MONTH: dayKey('c.started_at', 'month'),
};

// Campaign.stats' own figures (campaigns/campaign.stats.ts), and the messages' count.
const FIGURES = { count: 'count(*)::int', ...MESSAGE_FIGURES };

export type FunnelGroupRow = StatsGroup<CampaignFunnelKey, Record<keyof typeof FIGURES, number>>;

export interface FunnelArgs {
  campaignId?: string | null;
  filter?: CampaignFunnelFilter | null;
}

/** The campaigns' conditions over `campaign c` (and the messages' months over `m`). */
function campaignsSql(args: FunnelArgs, param: (value: unknown) => string): string[] {
  const { campaignId, filter } = args;
  if (campaignId != null && filter != null) {
    throw badInput('filter', 'give campaignId or filter, not both');
  }
  if (campaignId != null) {
    if (!isUuid(campaignId)) throw badInput('campaignId', 'is not a campaign id');
    return [`c.id = ${param(campaignId)}`];
  }
  const f = filter ?? {};
  const out: string[] = [];
  if (f.channel) out.push(`c.channel = ANY(${param(f.channel)}::text[])`);
  if (f.status) out.push(`c.status = ANY(${param(f.status)}::text[])`);
  // On both sides of the join: the messages' bound lets Postgres skip whole months.
  if (f.startedFrom) {
    const from = param(new Date(f.startedFrom));
    out.push(`c.started_at >= ${from}`, `m.created_at >= ${from}`);
  }
  if (f.startedTo) {
    const to = param(new Date(f.startedTo));
    out.push(`c.started_at < ${to}`, `m.created_at < ${to}`);
  }
  return out;
}

/** The statement and its values, built and checked but not run. */
export function campaignFunnelQuery(
  workspaceId: string,
  scope: CustomerScope,
  args: FunnelArgs,
  groupBy: readonly CampaignFunnelKey[],
): { sql: string; params: unknown[] } {
  const params: unknown[] = [workspaceId];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = [
    'c.workspace_id = $1',
    'm.workspace_id = $1',
    'c.started_at IS NOT NULL',
    ...campaignsSql(args, param),
    projectedScopeSql(scope, 'm.customer_id', 'm.workspace_id', param),
  ];
  const sql = groupedStatsSql({
    from: `campaign c JOIN marketing_message m ON m.workspace_id = c.workspace_id
      AND m.campaign_id = c.id AND m.created_at = c.started_at`,
    where: where.join(' AND '),
    keys: groupBy.map((key) => KEYS[key]),
    figures: FIGURES,
  });
  return { sql, params };
}

export async function campaignFunnel(
  db: DataSource,
  workspaceId: string,
  scope: CustomerScope,
  args: FunnelArgs,
  groupBy: readonly CampaignFunnelKey[],
): Promise<FunnelGroupRow[]> {
  const q = campaignFunnelQuery(workspaceId, scope, args, groupBy);
  return readGroups(await db.query(q.sql, q.params), groupBy, 'narrow the filter');
}
