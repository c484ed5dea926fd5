// Query.campaigns: the workspace's campaigns, newest first, paged by keyset on
// (created_at, id) (campaign_newest_idx), optionally in one status; counted only when
// totalCount is asked for.
import type { DataSource } from 'typeorm';
import { newestFirst, pageOf, toConnection } from '@customer-graph/runtime';
import type { PagedField, PageArgs } from '@customer-graph/runtime';
import { CAMPAIGN_SELECT } from './campaign.entity';
import type { CampaignRow, CampaignStatus } from './campaign.entity';
import type { CampaignPage } from './campaign.mappers';

export const CAMPAIGNS_NEWEST_FIRST = newestFirst('created_at');

export async function listCampaigns(
  db: DataSource,
  workspaceId: string,
  args: PageArgs & { status?: CampaignStatus | null },
  field: PagedField,
): Promise<CampaignPage> {
  const page = pageOf(args, field, CAMPAIGNS_NEWEST_FIRST);
  const where = ['c.workspace_id = $1'];
  const params: unknown[] = [workspaceId];
  if (args.status) {
    params.push(args.status);
    where.push(`c.status = $${params.length}`);
  }
  const countWhere = where.join(' AND ');
  const countParams = [...params];
  if (page.after) {
    params.push(page.after.keys[0], page.after.id);
    where.push(
      `(c.created_at, c.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
    );
  }
  const rows: CampaignRow[] = await db.query(
    `SELECT ${CAMPAIGN_SELECT} FROM campaign c WHERE ${where.join(' AND ')}
     ORDER BY c.created_at DESC, c.id DESC LIMIT ${page.first + 1}`,
    params,
  );
  let counted: Promise<number> | undefined;
  const count = async () => {
    const [row] = await db.query(
      `SELECT count(*)::int AS n FROM campaign c WHERE ${countWhere}`,
      countParams,
    );
    return row.n as number;
  };
  return {
    ...toConnection(rows, page, (row) => [row.createdAt.toISOString()]),
    count: () => (counted ??= count()),
  };
}
