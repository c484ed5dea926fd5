import type DataLoader from 'dataloader';
import type { Connection, Page, RequestScope } from '@customer-graph/runtime';
import { findPagesPerParent, isUuid, loaderFamily } from '@customer-graph/runtime';
import type { TaskFilter } from '../generated/graphql';
import { TaskEntity } from './task.entity';
import type { TaskRow } from './task.entity';
import { taskFilterSql } from './task.list';
import type { FilterFrame } from './task.list';

export interface TaskLoaders {
  /** A page of a customer's tasks, newest first; one query per distinct page and filter. */
  byCustomer: (args: {
    page: Page;
    filter: TaskFilter | null;
  }) => DataLoader<string, Connection<TaskRow>>;
  /** How many of a customer's tasks match a filter; one query per filter. */
  countByCustomer: (filter: TaskFilter | null) => DataLoader<string, number>;
  /** The caller and the request's now, which "mine", "overdue" and "this week" are about. */
  frame: FilterFrame;
}

declare module '../context' {
  interface Loaders {
    tasks: TaskLoaders;
  }
}

/**
 * The filter of a customer's tab as a named-parameter condition: the customer is the
 * parent, not the filter. Every task of a customer the caller sees is shown.
 */
function tabFilter(filter: TaskFilter | null, frame: FilterFrame) {
  const params: Record<string, unknown> = {};
  const sql = taskFilterSql(
    { ...filter, customerId: null },
    't',
    (value) => {
      const name = `f${Object.keys(params).length}`;
      params[name] = value;
      return `:${name}`;
    },
    frame,
  );
  return { sql: sql.length ? sql.join(' AND ') : 'TRUE', params };
}

export function createTaskLoaders({ db, workspaceId, identity }: RequestScope): TaskLoaders {
  const tasks = db.getRepository(TaskEntity);
  // One now per request: every list of a response agrees on what is overdue.
  const frame: FilterFrame = { callerId: identity.userId, now: new Date() };
  return {
    frame,
    byCustomer: loaderFamily(({ page, filter }, customerIds: readonly string[]) =>
      findPagesPerParent(tasks, {
        parentColumn: 'customer_id',
        parentOf: (row) => row.customerId,
        sortKeyOf: (row) => row.createdAt,
        workspaceId,
        parentIds: customerIds,
        page,
        filter: filter ? tabFilter(filter, frame) : undefined,
      }),
    ),
    countByCustomer: loaderFamily(async (filter: TaskFilter | null, ids: readonly string[]) => {
      const { sql, params } = tabFilter(filter, frame);
      const rows: { customerId: string; n: number }[] = await tasks
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
