// Campaign.stats: what became of a campaign's messages, in one grouped query for every
// campaign of a page (a DataLoader), per campaign and per split part (GROUPING SETS).
// The messages are found by (campaign_id, created_at = started_at): the created_at
// list lets Postgres prune to the campaigns' months (one partition for one campaign).
//
// Each message counts once by its current status, and a status counts every message at
// or beyond it (status_rank: QUEUED 0, SENT 1, FAILED 2, DELIVERED 3, OPENED 4, CLICKED 5):
// sent = reached a provider (rank ≥ 1, but a FAILED message only when it was handed over,
// sent_at set), delivered = rank ≥ 3, opened ≥ 4, clicked = 5; failed = FAILED after being
// handed over; notSent = FAILED without (cancelled, no voucher); queued = QUEUED.
import type { DataSource } from 'typeorm';
import type { CampaignRow } from './campaign.entity';
import type { CampaignStatsRow, StatsRow } from './campaign.mappers';

/**
 * Each figure over a campaign's messages `m` (the rules above), as Campaign.stats and
 * campaignFunnel (analytics/campaign-funnel.ts) count them.
 */
export const MESSAGE_FIGURES = {
  queued: `(count(*) FILTER (WHERE m.status = 'QUEUED'))::int`,
  sent: `(count(*) FILTER (WHERE m.status_rank >= 1
    AND (m.status <> 'FAILED' OR m.sent_at IS NOT NULL)))::int`,
  delivered: '(count(*) FILTER (WHERE m.status_rank >= 3))::int',
  opened: '(count(*) FILTER (WHERE m.status_rank >= 4))::int',
  clicked: '(count(*) FILTER (WHERE m.status_rank >= 5))::int',
  failed: `(count(*) FILTER (WHERE m.status = 'FAILED' AND m.sent_at IS NOT NULL))::int`,
  notSent: `(count(*) FILTER (WHERE m.status = 'FAILED' AND m.sent_at IS NULL))::int`,
};

const FIGURES_SQL = Object.entries(MESSAGE_FIGURES)
  .map(([name, sql]) => `${sql} AS "${name}"`)
  .join(',\n                  ');

const EMPTY: Omit<StatsRow, 'part'> = {
  total: 0,
  queued: 0,
  sent: 0,
  delivered: 0,
  opened: 0,
  clicked: 0,
  failed: 0,
  notSent: 0,
};

export async function loadCampaignStats(
  db: DataSource,
  workspaceId: string,
  campaigns: readonly Pick<CampaignRow, 'id' | 'startedAt'>[],
): Promise<CampaignStatsRow[]> {
  const started = campaigns.filter((c) => c.startedAt !== null);
  const rows: (StatsRow & { campaignId: string; whole: boolean })[] =
    started.length === 0
      ? []
      : await db.query(
          `SELECT m.campaign_id AS "campaignId", m.split_part AS part,
                  GROUPING(m.split_part) = 1 AS whole,
                  count(*)::int AS total,
                  ${FIGURES_SQL}
             FROM marketing_message m
             JOIN unnest($2::uuid[], $3::timestamptz[]) AS c (id, started_at)
               ON m.campaign_id = c.id AND m.created_at = c.started_at
            WHERE m.workspace_id = $1 AND m.campaign_id = ANY($2::uuid[])
              AND m.created_at = ANY($3::timestamptz[])
            GROUP BY GROUPING SETS ((m.campaign_id), (m.campaign_id, m.split_part))`,
          [workspaceId, started.map((c) => c.id), started.map((c) => c.startedAt)],
        );
  return campaigns.map((c) => {
    const mine = rows.filter((r) => r.campaignId === c.id);
    const strip = ({ campaignId: _c, whole: _w, ...row }: (typeof rows)[number]) => row;
    const whole = mine.find((r) => r.whole);
    return {
      ...(whole ? strip(whole) : { ...EMPTY }),
      part: null,
      byPart: mine
        .filter((r) => !r.whole && r.part !== null)
        .map(strip)
        .sort((a, b) => a.part! - b.part!),
    };
  });
}

/** delivered / sent and the like; 0 when nothing was sent. */
export const rate = (count: number, sent: number): number => (sent === 0 ? 0 : count / sent);
