// Query.voucherCampaigns: the workspace's campaigns, newest first, paged by keyset on
// (created_at, id), optionally only those running (not ended, valid_to ahead) or only
// those over; counted only when totalCount is asked for.
import type { DataSource } from 'typeorm';
import { newestFirst, pageOf, toConnection } from '@customer-graph/runtime';
import type { PagedField, PageArgs } from '@customer-graph/runtime';
import { CAMPAIGN_SELECT } from './voucher.entity';
import type { VoucherCampaignRow } from './voucher.entity';
import type { CampaignPage } from './voucher.mappers';

export const CAMPAIGNS_NEWEST_FIRST = newestFirst('created_at');

const RUNNING = 'c.ended_at IS NULL AND c.valid_to > now()';

export async function listCampaigns(
  db: DataSource,
  workspaceId: string,
  args: PageArgs & { running?: boolean | null },
  field: PagedField,
): Promise<CampaignPage> {
  const page = pageOf(args, field, CAMPAIGNS_NEWEST_FIRST);
  const where = ['c.workspace_id = $1'];
  if (args.running != null) where.push(args.running ? `(${RUNNING})` : `NOT (${RUNNING})`);
  const countWhere = where.join(' AND ');
  const params: unknown[] = [workspaceId];
  if (page.after) {
    params.push(page.after.keys[0], page.after.id);
    where.push('(c.created_at, c.id) < ($2::timestamptz, $3::uuid)');
  }
  const rows: VoucherCampaignRow[] = await db.query(
    `SELECT ${CAMPAIGN_SELECT} FROM voucher_campaign c WHERE ${where.join(' AND ')}
     ORDER BY c.created_at DESC, c.id DESC LIMIT ${page.first + 1}`,
    params,
  );
  let counted: Promise<number> | undefined;
  const count = async () => {
    const [row] = await db.query(
      `SELECT count(*)::int AS n FROM voucher_campaign c WHERE ${countWhere}`,
      [workspaceId],
    );
    return row.n as number;
  };
  return {
    ...toConnection(rows, page, (row) => [row.createdAt.toISOString()]),
    count: () => (counted ??= count()),
  };
}
