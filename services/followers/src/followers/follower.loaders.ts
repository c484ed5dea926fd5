import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { alignOne, isUuid, visibleRows } from '@customer-graph/runtime';
import type { RequestScope } from '@customer-graph/runtime';
import { ZaloFollowerEntity } from './follower.entity';
import type { ZaloFollowerRow } from './follower.entity';

export interface FollowerLoaders {
  byId: DataLoader<string, ZaloFollowerRow | null>;
  /** The follower linked to a customer (the most recent follow, if several). */
  byCustomer: DataLoader<string, ZaloFollowerRow | null>;
  /** How many followers are linked to each customer: one grouped query. */
  countByCustomer: DataLoader<string, number>;
}

declare module '../context' {
  interface Loaders {
    followers: FollowerLoaders;
  }
}

/** Followers the caller may see: for staff, only those linked to their customers. */
export function createFollowerLoaders({ db, workspaceId, access }: RequestScope): FollowerLoaders {
  const followers = db.getRepository(ZaloFollowerEntity);
  const loadBy = (key: 'id' | 'customerId') =>
    new DataLoader<string, ZaloFollowerRow | null>(async (ids) => {
      const valid = ids.filter(isUuid);
      // Oldest first, so for a customer shared by two Zalo accounts the latest wins.
      const rows = valid.length
        ? await followers.find({
            where: { workspaceId, [key]: In(valid) },
            order: { followedAt: 'ASC' },
          })
        : [];
      const visible = await visibleRows(access, rows, (row) => row.customerId);
      return alignOne(ids, visible, (row) => row[key] as string);
    });
  const countByCustomer = new DataLoader<string, number>(async (ids) => {
    const rows: { customer_id: string; n: number }[] = await db.query(
      `SELECT customer_id, count(*)::int AS n FROM zalo_follower
        WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[]) GROUP BY customer_id`,
      [workspaceId, ids.filter(isUuid)],
    );
    const byId = new Map(rows.map((r) => [r.customer_id, r.n]));
    return ids.map((id) => byId.get(id) ?? 0);
  });
  return { byId: loadBy('id'), byCustomer: loadBy('customerId'), countByCustomer };
}
