import type { DataSource } from 'typeorm';
import type { Connection, CustomerScope, Page } from '@customer-graph/runtime';
import { badInput, newestFirst, projectedScopeSql, toConnection } from '@customer-graph/runtime';
import { ZaloFollowerEntity } from './follower.entity';
import type { FollowerGender, FollowerStatus, ZaloFollowerRow } from './follower.entity';

/** Followers are listed by most recent follow first. */
export const FOLLOWERS_NEWEST_FIRST = newestFirst('followed_at');

export interface FollowerFilter {
  status?: FollowerStatus | null;
  linked?: boolean | null;
  hasPhone?: boolean | null;
  search?: string | null;
}

/**
 * One page of the workspace's followers, most recent follow first; for staff, only
 * followers linked to a customer assigned to them.
 */
export async function listFollowers(
  db: DataSource,
  workspaceId: string,
  scope: CustomerScope,
  filter: FollowerFilter,
  page: Page,
): Promise<Connection<ZaloFollowerRow>> {
  const query = db
    .getRepository(ZaloFollowerEntity)
    .createQueryBuilder('f')
    .where('f.workspace_id = :workspaceId', { workspaceId })
    .orderBy('f.followed_at', 'DESC')
    .addOrderBy('f.id', 'DESC')
    .limit(page.first + 1);
  const scoped: Record<string, unknown> = {};
  query.andWhere(
    projectedScopeSql(scope, 'f.customer_id', 'f.workspace_id', (value) => {
      scoped.staff = value;
      return ':staff';
    }),
    scoped,
  );
  if (filter.status) query.andWhere('f.status = :status', { status: filter.status });
  if (filter.linked != null) {
    query.andWhere(filter.linked ? 'f.customer_id IS NOT NULL' : 'f.customer_id IS NULL');
  }
  if (filter.hasPhone != null) {
    query.andWhere(filter.hasPhone ? 'f.phone IS NOT NULL' : 'f.phone IS NULL');
  }
  if (filter.search) {
    const escaped = filter.search.replace(/[\\%_]/g, (c) => `\\${c}`);
    query.andWhere('f.display_name ILIKE :search', { search: `%${escaped}%` });
  }
  if (page.after) {
    query.andWhere('(f.followed_at, f.id) < (:at::timestamptz, :id::uuid)', {
      at: page.after.keys[0],
      id: page.after.id,
    });
  }
  const rows = await query.getMany();
  return toConnection(rows, page, (row) => [row.followedAt.toISOString()]);
}

export const MAX_SYNC_BATCH = 1000;

export interface SyncedFollower {
  zaloUserId: string;
  displayName?: string | null;
  gender?: FollowerGender | null;
}

/**
 * Upserts followers from Zalo's follower list. New ones get the sync time as their
 * follow date (Zalo does not say when they followed); known ones keep theirs.
 */
export async function syncFollowers(
  db: DataSource,
  workspaceId: string,
  followers: SyncedFollower[],
): Promise<{ created: number; updated: number }> {
  if (followers.length > MAX_SYNC_BATCH) {
    throw badInput(
      'followers',
      `at most ${MAX_SYNC_BATCH} followers per call, got ${followers.length}`,
    );
  }
  const seen = new Set<string>();
  for (const [i, f] of followers.entries()) {
    if (!/^[0-9A-Za-z_-]{1,64}$/.test(f.zaloUserId)) {
      throw badInput(`followers[${i}].zaloUserId`, `"${f.zaloUserId}" is not a Zalo user id`);
    }
    if (seen.has(f.zaloUserId)) {
      throw badInput(`followers[${i}].zaloUserId`, `${f.zaloUserId} appears twice`);
    }
    seen.add(f.zaloUserId);
  }
  if (followers.length === 0) return { created: 0, updated: 0 };
  const rows: { inserted: boolean }[] = await db.query(
    `INSERT INTO zalo_follower (workspace_id, zalo_user_id, display_name, gender, followed_at, status)
     SELECT $1, u.id, u.name, u.gender, now(), 'FOLLOWING'
       FROM unnest($2::text[], $3::text[], $4::text[]) AS u(id, name, gender)
     ON CONFLICT (workspace_id, zalo_user_id) DO UPDATE SET
       display_name = COALESCE(EXCLUDED.display_name, zalo_follower.display_name),
       gender = COALESCE(EXCLUDED.gender, zalo_follower.gender)
     RETURNING (xmax = 0) AS inserted`,
    [
      workspaceId,
      followers.map((f) => f.zaloUserId),
      followers.map((f) => f.displayName ?? null),
      followers.map((f) => f.gender ?? null),
    ],
  );
  const created = rows.filter((r) => r.inserted).length;
  return { created, updated: rows.length - created };
}
