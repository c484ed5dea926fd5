import type { DataSource } from 'typeorm';
import type { Connection, Page } from '@customer-graph/runtime';
import { toConnection } from '@customer-graph/runtime';
import { ZaloFollowerEntity } from './follower.entity';
import type { ZaloFollowerRow } from './follower.entity';

/** One page of the workspace's followers, most recent follow first. */
export async function listFollowers(
  db: DataSource,
  workspaceId: string,
  page: Page,
): Promise<Connection<ZaloFollowerRow>> {
  const query = db
    .getRepository(ZaloFollowerEntity)
    .createQueryBuilder('f')
    .where('f.workspace_id = :workspaceId', { workspaceId })
    .orderBy('f.followed_at', 'DESC')
    .addOrderBy('f.id', 'DESC')
    .limit(page.first + 1);
  if (page.after) {
    query.andWhere('(f.followed_at, f.id) < (:at::timestamptz, :id::uuid)', {
      at: page.after.sortKey,
      id: page.after.id,
    });
  }
  const rows = await query.getMany();
  return toConnection(rows, page.first, (row) => ({
    sortKey: row.followedAt.toISOString(),
    id: row.id,
  }));
}
