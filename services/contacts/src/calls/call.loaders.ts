import type DataLoader from 'dataloader';
import type { Connection, Page, RequestScope } from '@customer-graph/runtime';
import { findPagesPerParent, isUuid, loaderFamily } from '@customer-graph/runtime';
import type { CallFilter } from '../generated/graphql';
import { CallEntity } from './call.entity';
import type { CallRow } from './call.entity';
import { callFilterSql } from './call.filter';

export interface CallLoaders {
  /** A page of a customer's calls, newest first; one query per distinct page and filter. */
  byCustomer: (args: {
    page: Page;
    filter: CallFilter | null;
  }) => DataLoader<string, Connection<CallRow>>;
  /** How many of a customer's calls match a filter; one query per filter. */
  countByCustomer: (filter: CallFilter | null) => DataLoader<string, number>;
}

declare module '../context' {
  interface Loaders {
    calls: CallLoaders;
  }
}

/** The filter as one condition over `t` with named parameters (the customer is the parent). */
function tabFilter(filter: CallFilter | null) {
  const params: Record<string, unknown> = {};
  const sql = callFilterSql(filter, 't', (value) => {
    const name = `f${Object.keys(params).length}`;
    params[name] = value;
    return `:${name}`;
  });
  return { sql: sql.length > 0 ? sql.join(' AND ') : 'TRUE', params };
}

export function createCallLoaders({ db, workspaceId }: RequestScope): CallLoaders {
  const calls = db.getRepository(CallEntity);
  return {
    byCustomer: loaderFamily(({ page, filter }, customerIds: readonly string[]) =>
      findPagesPerParent(calls, {
        parentColumn: 'customer_id',
        parentOf: (row) => row.customerId,
        sortKeyOf: (row) => row.startedAt,
        workspaceId,
        parentIds: customerIds,
        page,
        filter: filter ? tabFilter(filter) : undefined,
      }),
    ),
    countByCustomer: loaderFamily(async (filter: CallFilter | null, ids: readonly string[]) => {
      const { sql, params } = tabFilter(filter);
      const rows: { customerId: string; n: number }[] = await calls
        .createQueryBuilder('t')
        .select('t.customer_id', 'customerId')
        .addSelect('count(*)::int', 'n')
        .where('t.workspace_id = :workspaceId AND t.customer_id = ANY(:ids)', {
          workspaceId,
          ids: ids.filter(isUuid),
        })
        .andWhere(sql, params)
        .groupBy('t.customer_id')
        .getRawMany();
      const byId = new Map(rows.map((r) => [r.customerId, r.n]));
      return ids.map((id) => byId.get(id) ?? 0);
    }),
  };
}
