// Which tasks a caller sees, and Query.tasks. Admins, editors and analysts see every
// task of the workspace; a staff member the tasks of the customers assigned to them
// and the tasks assigned to them, on any customer. Lists are newest first, paged by
// keyset (pagination.ts), counted only when totalCount is asked for.
import type { DataSource } from 'typeorm';
import { badInput, isUuid, newestFirst, pageOf, toConnection } from '@customer-graph/runtime';
import type { Connection, CustomerScope, PagedField } from '@customer-graph/runtime';
import type { TaskFilter } from '../generated/graphql';
import { userId } from '../customers/customer.input';
import { OPEN_TASK_STATUSES, taskSelect } from './task.entity';
import type { TaskRow } from './task.entity';
import { vietnamWeek } from './task.week';

/** Every task list is newest first (the id breaks ties). */
export const TASKS_NEWEST_FIRST = newestFirst('created_at');

/** A page of tasks; `count` runs only when the client asks for totalCount. */
export interface TaskPage extends Connection<TaskRow> {
  count(): Promise<number>;
}

/** Adds a value to the statement and returns its placeholder. */
export type Param = (value: unknown) => string;

/** What a filter is relative to: the caller ("mine") and the request's now. */
export interface FilterFrame {
  callerId: string;
  now: Date;
}

/**
 * The tasks of `alias` the caller may see, as an SQL condition (TRUE for everyone's):
 * staff see those of their customers and those assigned to them.
 */
export function taskScopeSql(scope: CustomerScope, alias: string, param: Param): string {
  if (scope.kind === 'all') return 'TRUE';
  if (scope.kind === 'none') return 'FALSE';
  const staff = param(scope.staffUserId);
  return `(${alias}.assignee = ${staff} OR EXISTS (
    SELECT 1 FROM customer sc WHERE sc.workspace_id = ${alias}.workspace_id
       AND sc.id = ${alias}.customer_id AND sc.assigned_staff = ${staff}))`;
}

/** The filter as SQL conditions over `alias`. */
export function taskFilterSql(
  filter: TaskFilter | null | undefined,
  alias: string,
  param: Param,
  frame: FilterFrame,
): string[] {
  const f = filter ?? {};
  const out: string[] = [];
  const open = `${alias}.status IN (${OPEN_TASK_STATUSES.map((s) => `'${s}'`).join(', ')})`;
  if (f.mine) out.push(`${alias}.assignee = ${param(frame.callerId)}`);
  if (f.overdue) out.push(`${alias}.due_at < ${param(frame.now)}`, open);
  if (f.dueThisWeek) {
    const week = vietnamWeek(frame.now);
    out.push(`${alias}.due_at >= ${param(week.from)}`, `${alias}.due_at < ${param(week.to)}`);
  }
  if (f.status) out.push(`${alias}.status = ANY(${param(f.status)})`);
  if (f.assignee != null) {
    const assignee = userId(f.assignee, 'filter.assignee');
    if (assignee === null) throw badInput('filter.assignee', 'an assignee cannot be empty');
    out.push(`${alias}.assignee = ${param(assignee)}`);
  }
  if (f.customerId != null) {
    out.push(isUuid(f.customerId) ? `${alias}.customer_id = ${param(f.customerId)}` : 'FALSE');
  }
  return out;
}

export interface TaskListArgs {
  filter?: TaskFilter | null;
  first?: number | null;
  after?: string | null;
}

/** Query.tasks: the tasks the caller sees that match the filter, newest first. */
export async function listTasks(
  db: DataSource,
  workspaceId: string,
  scope: CustomerScope,
  frame: FilterFrame,
  args: TaskListArgs,
  field: PagedField,
): Promise<TaskPage> {
  const page = pageOf(args, field, TASKS_NEWEST_FIRST);
  const params: unknown[] = [workspaceId];
  const param: Param = (value) => `$${params.push(value)}`;
  const where = [
    't.workspace_id = $1',
    taskScopeSql(scope, 't', param),
    ...taskFilterSql(args.filter, 't', param, frame),
  ];
  const countWhere = where.join(' AND ');
  const countParams = [...params];
  if (page.after) {
    where.push(
      `(t.created_at, t.id) < (${param(page.after.keys[0])}::timestamptz, ${param(page.after.id)}::uuid)`,
    );
  }
  const rows: TaskRow[] = await db.query(
    `SELECT ${taskSelect('t')} FROM customer_task t WHERE ${where.join(' AND ')}
     ORDER BY t.created_at DESC, t.id DESC LIMIT ${page.first + 1}`,
    params,
  );
  const connection = toConnection(rows, page, (row) => [row.createdAt.toISOString()]);
  let counted: Promise<number> | undefined;
  const count = async () => {
    const [row] = await db.query(
      `SELECT count(*)::int AS n FROM customer_task t WHERE ${countWhere}`,
      countParams,
    );
    return row.n as number;
  };
  return { ...connection, count: () => (counted ??= count()) };
}
