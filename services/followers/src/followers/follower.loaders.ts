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
  return { byId: loadBy('id'), byCustomer: loadBy('customerId') };
}
