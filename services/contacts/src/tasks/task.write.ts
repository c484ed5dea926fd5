// Creating and changing tasks. Every value is checked before the first statement, and
// each change is one statement after the task is locked, so a refusal writes nothing.
//
// Who may change what (docs/tasks.md): admins and editors every task; a staff member
// the tasks of the customers assigned to them, wholly, and a task assigned to them on
// another's customer all but its assignee and its customer (which belong to that
// customer's staff member). `completed_at` is set when a task becomes DONE and cleared
// when it leaves DONE.
import type { EntityManager } from 'typeorm';
import { badInput, isUuid, staffScope } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import type { TaskInput, TaskPatch } from '../generated/graphql';
import { taskSelect } from './task.entity';
import type { TaskRow } from './task.entity';
import { TaskErrorCode, taskError } from './task.errors';
import { checkSchedule, newTask, taskChanges } from './task.input';

export async function createTask(
  tx: EntityManager,
  identity: Identity,
  input: TaskInput,
): Promise<TaskRow> {
  const task = newTask(input, identity);
  const rows: TaskRow[] = await tx.query(
    `INSERT INTO customer_task AS t (workspace_id, customer_id, title, description, assignee,
       start_at, due_at, status, completed_at, created_by)
     SELECT c.workspace_id, c.id, $3::text, $4::text, $5::text, $6::timestamptz,
            $7::timestamptz, $8::text, CASE WHEN $8::text = 'DONE' THEN now() END, $9::text
       FROM customer c
      WHERE c.workspace_id = $1 AND c.id = $2 AND ($10::text IS NULL OR c.assigned_staff = $10)
     RETURNING ${taskSelect('t')}`,
    [
      identity.workspaceId,
      task.customerId,
      task.title,
      task.description,
      task.assignee,
      task.startAt,
      task.dueAt,
      task.status,
      identity.userId,
      staffScope(identity),
    ],
  );
  if (rows.length === 0) {
    throw taskError(TaskErrorCode.CUSTOMER_NOT_FOUND, 'input.customerId', task.customerId);
  }
  return rows[0];
}

interface LockedTask extends TaskRow {
  /** Whether the caller may change everything of it (not only as its assignee). */
  whole: boolean;
}

/** Locks a task the caller may change; NOT_FOUND (naming `id`) when they may not see it. */
async function lockTask(tx: EntityManager, identity: Identity, id: string): Promise<LockedTask> {
  if (!isUuid(id)) throw badInput('id', `"${id}" is not a task id`);
  const staff = staffScope(identity);
  const rows: LockedTask[] = await tx.query(
    `SELECT ${taskSelect('t')}, ($3::text IS NULL OR c.assigned_staff = $3) AS whole
       FROM customer_task t
       JOIN customer c ON c.workspace_id = t.workspace_id AND c.id = t.customer_id
      WHERE t.workspace_id = $1 AND t.id = $2
        AND ($3::text IS NULL OR c.assigned_staff = $3 OR t.assignee = $3)
      FOR UPDATE OF t`,
    [identity.workspaceId, id, staff],
  );
  if (rows.length === 0) throw taskError(TaskErrorCode.TASK_NOT_FOUND, 'id', id);
  return rows[0];
}

/** Whether a customer is one the caller may give tasks to (for staff: theirs). */
async function customerWritable(tx: EntityManager, identity: Identity, customerId: string) {
  const rows = await tx.query(
    `SELECT 1 FROM customer WHERE workspace_id = $1 AND id = $2
        AND ($3::text IS NULL OR assigned_staff = $3)`,
    [identity.workspaceId, customerId, staffScope(identity)],
  );
  return rows.length > 0;
}

export async function updateTask(
  tx: EntityManager,
  identity: Identity,
  id: string,
  patch: TaskPatch,
): Promise<TaskRow> {
  const changes = taskChanges(patch);
  const current = await lockTask(tx, identity, id);
  const moves = changes.customerId !== undefined && changes.customerId !== current.customerId;
  const reassigns = changes.assignee !== undefined && changes.assignee !== current.assignee;
  if (!current.whole && reassigns) {
    throw taskError(TaskErrorCode.NOT_YOUR_CUSTOMER, 'input.assignee', 'the assignee');
  }
  if (!current.whole && moves) {
    throw taskError(TaskErrorCode.NOT_YOUR_CUSTOMER, 'input.customerId', 'the customer');
  }
  if (moves && !(await customerWritable(tx, identity, changes.customerId!))) {
    throw taskError(TaskErrorCode.CUSTOMER_NOT_FOUND, 'input.customerId', changes.customerId!);
  }
  checkSchedule(
    changes.startAt !== undefined ? changes.startAt : current.startAt,
    changes.dueAt !== undefined ? changes.dueAt : current.dueAt,
    'dueAt' in changes ? 'input.dueAt' : 'input.startAt',
  );
  const params: unknown[] = [identity.workspaceId, id];
  const add = (value: unknown) => `$${params.push(value)}`;
  const sets: string[] = ['updated_at = now()'];
  const columns = {
    title: 'title',
    description: 'description',
    customerId: 'customer_id',
    assignee: 'assignee',
    startAt: 'start_at',
    dueAt: 'due_at',
    status: 'status',
  } as const;
  for (const [key, column] of Object.entries(columns) as [keyof typeof columns, string][]) {
    if (key in changes) sets.push(`${column} = ${add(changes[key])}`);
  }
  if (changes.status !== undefined) {
    // DONE keeps the time it was first marked so; leaving DONE clears it.
    sets.push(
      changes.status === 'DONE'
        ? 'completed_at = COALESCE(completed_at, now())'
        : 'completed_at = NULL',
    );
  }
  const [rows] = await tx.query(
    `UPDATE customer_task t SET ${sets.join(', ')} WHERE t.workspace_id = $1 AND t.id = $2
     RETURNING ${taskSelect('t')}`,
    params,
  );
  return rows[0];
}

/** Marks a task DONE now; one already DONE keeps its completion time. */
export async function completeTask(
  tx: EntityManager,
  identity: Identity,
  id: string,
): Promise<TaskRow> {
  await lockTask(tx, identity, id);
  const [rows] = await tx.query(
    `UPDATE customer_task t
        SET status = 'DONE', completed_at = COALESCE(completed_at, now()),
            updated_at = CASE WHEN status = 'DONE' THEN updated_at ELSE now() END
      WHERE t.workspace_id = $1 AND t.id = $2
     RETURNING ${taskSelect('t')}`,
    [identity.workspaceId, id],
  );
  return rows[0];
}
