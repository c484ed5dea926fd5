import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { Connection, Page, RequestScope } from '@customer-graph/runtime';
import {
  alignOne,
  findPagesPerParent,
  isUuid,
  loaderFamily,
  newestFirst,
  visibleRows,
} from '@customer-graph/runtime';
import { ZaloFollowerEntity } from './follower.entity';
import type { ZaloFollowerRow } from './follower.entity';

/** A customer's followers are listed by the most recent link first. */
export const FOLLOWERS_NEWEST_LINK_FIRST = newestFirst('linked_at');

export interface FollowerLoaders {
  byId: DataLoader<string, ZaloFollowerRow | null>;
  /** The follower linked to a customer most recently (the first of `byCustomerPage`). */
  byCustomer: DataLoader<string, ZaloFollowerRow | null>;
  /** A page of a customer's followers, newest link first; one query per distinct page. */
  byCustomerPage: (page: Page) => DataLoader<string, Connection<ZaloFollowerRow>>;
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
      // Oldest link first, so for a customer with several followers the latest wins
      // (the order of `zaloFollowers`, reversed: the id breaks ties the same way).
      const rows = valid.length
        ? await followers.find({
            where: { workspaceId, [key]: In(valid) },
            order: { linkedAt: 'ASC', id: 'ASC' },
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
  return {
    byId: loadBy('id'),
    byCustomer: loadBy('customerId'),
    countByCustomer,
    // The parent customer was checked by the field's rule: all its followers are seen.
    byCustomerPage: loaderFamily((page: Page, customerIds: readonly string[]) =>
      findPagesPerParent(followers, {
        parentColumn: 'customer_id',
        parentOf: (row) => row.customerId ?? '',
        sortKeyOf: (row) => row.linkedAt,
        workspaceId,
        parentIds: customerIds,
        page,
      }),
    ),
  };
}
