import { EntitySchema } from 'typeorm';

export const TASK_STATUSES = ['TODO', 'IN_PROGRESS', 'DONE', 'CANCELLED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** The statuses of a task still to do: the ones that can be overdue. */
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = ['TODO', 'IN_PROGRESS'];

export interface TaskRow {
  id: string;
  workspaceId: string;
  /** Every task is about one customer (the tab's), deleted with it. */
  customerId: string;
  title: string;
  description: string | null;
  /** User id of who is to do it; null when nobody is. */
  assignee: string | null;
  startAt: Date | null;
  dueAt: Date | null;
  status: TaskStatus;
  /** Set when the task became DONE, null otherwise (a table check holds it). */
  completedAt: Date | null;
  /** User id of the creator, from the signed context. */
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const instant = (name: string, nullable = true) =>
  ({ name, type: 'timestamptz', precision: 3, nullable }) as const;

export const TaskEntity = new EntitySchema<TaskRow>({
  name: 'CustomerTask',
  tableName: 'customer_task',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    workspaceId: { name: 'workspace_id', type: 'text' },
    customerId: { name: 'customer_id', type: 'uuid' },
    title: { type: 'text' },
    description: { type: 'text', nullable: true },
    assignee: { type: 'text', nullable: true },
    startAt: instant('start_at'),
    dueAt: instant('due_at'),
    status: { type: 'text' },
    completedAt: instant('completed_at'),
    createdBy: { name: 'created_by', type: 'text' },
    createdAt: instant('created_at', false),
    updatedAt: instant('updated_at', false),
  },
});

/** The columns of a task row as its properties, from `alias`, for raw SQL. */
export function taskSelect(alias: string): string {
  return Object.entries(TaskEntity.options.columns)
    .map(([prop, col]) => `${alias}.${(col as { name?: string }).name ?? prop} AS "${prop}"`)
    .join(', ');
}
