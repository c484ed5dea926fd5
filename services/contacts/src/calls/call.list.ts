// Query.calls: the workspace's calls the caller may see (call.filter.ts), newest
// first, paged by keyset on (started_at, id), counted only when totalCount is asked.
import type { DataSource } from 'typeorm';
import { newestFirst, pageOf, toConnection } from '@customer-graph/runtime';
import type { Connection, CustomerScope, PagedField } from '@customer-graph/runtime';
import type { CallFilter } from '../generated/graphql';
import { CALL_SELECT } from './call.entity';
import type { CallRow } from './call.entity';
import { callFilterSql, callScopeSql } from './call.filter';

/** Calls are listed newest first, in the tab and in Query.calls. */
export const CALLS_NEWEST_FIRST = newestFirst('started_at');

/** A page of calls; `count` runs only when the client asks for totalCount. */
export interface CallPage extends Connection<CallRow> {
  count(): Promise<number>;
}

export interface CallListArgs {
  filter?: CallFilter | null;
  first?: number | null;
  after?: string | null;
}

export async function listCalls(
  db: DataSource,
  workspaceId: string,
  scope: CustomerScope,
  args: CallListArgs,
  field: PagedField,
): Promise<CallPage> {
  const page = pageOf(args, field, CALLS_NEWEST_FIRST);
  const params: unknown[] = [workspaceId];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = [
    'c.workspace_id = $1',
    callScopeSql(scope, 'c', param),
    ...callFilterSql(args.filter, 'c', param),
  ];
  const countWhere = where.join(' AND ');
  const countParams = [...params];
  if (page.after) {
    where.push(
      `(c.started_at, c.id) < (${param(page.after.keys[0])}::timestamptz, ${param(page.after.id)}::uuid)`,
    );
  }
  const rows: CallRow[] = await db.query(
    `SELECT ${CALL_SELECT} FROM customer_call c WHERE ${where.join(' AND ')}
     ORDER BY c.started_at DESC, c.id DESC LIMIT ${page.first + 1}`,
    params,
  );
  const connection = toConnection(rows, page, (row) => [row.startedAt.toISOString()]);
  let counted: Promise<number> | undefined;
  const count = async () => {
    const [row] = await db.query(
      `SELECT count(*)::int AS n FROM customer_call c WHERE ${countWhere}`,
      countParams,
    );
    return row.n as number;
  };
  return { ...connection, count: () => (counted ??= count()) };
}
