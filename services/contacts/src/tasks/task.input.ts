// Checking what a client sends for a task, before anything is written: a bad value is
// BAD_USER_INPUT naming the field (`input.title`), and the request writes nothing.
import { badInput, isUuid } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import type { TaskInput, TaskPatch } from '../generated/graphql';
import { text, userId } from '../customers/customer.input';
import type { TaskStatus } from './task.entity';

export const MAX_TITLE = 500;
export const MAX_DESCRIPTION = 5000;

export function title(value: string | null | undefined, field: string): string {
  const normal = text(value, field, MAX_TITLE);
  if (normal === null) throw badInput(field, 'a task needs a title');
  return normal;
}

export function instant(value: Date | string | null | undefined): Date | null {
  if (value == null) return null;
  return value instanceof Date ? value : new Date(value);
}

export function customerIdOf(value: string | null | undefined, field: string): string {
  if (value == null) throw badInput(field, 'a task is about a customer: it cannot be cleared');
  if (!isUuid(value)) throw badInput(field, `"${value}" is not a customer id`);
  return value;
}

export function status(value: TaskStatus | null | undefined, field: string): TaskStatus {
  if (value == null) throw badInput(field, 'a task has a status: it cannot be cleared');
  return value;
}

/** Refuses a due time before the start (the table would too, less kindly). */
export function checkSchedule(startAt: Date | null, dueAt: Date | null, field: string): void {
  if (startAt && dueAt && dueAt < startAt) {
    throw badInput(field, 'a task cannot be due before it starts');
  }
}

export interface NewTask {
  title: string;
  description: string | null;
  customerId: string;
  assignee: string | null;
  startAt: Date | null;
  dueAt: Date | null;
  status: TaskStatus;
}

export function newTask(input: TaskInput, identity: Identity): NewTask {
  const task: NewTask = {
    title: title(input.title, 'input.title'),
    description: text(input.description, 'input.description', MAX_DESCRIPTION),
    customerId: customerIdOf(input.customerId, 'input.customerId'),
    // Left out: the creator does it; null: nobody yet.
    assignee:
      input.assignee === undefined ? identity.userId : userId(input.assignee, 'input.assignee'),
    startAt: instant(input.startAt),
    dueAt: instant(input.dueAt),
    status: input.status ?? 'TODO',
  };
  checkSchedule(task.startAt, task.dueAt, 'input.dueAt');
  return task;
}

/** The patch's fields, checked; only the keys the client sent are present. */
export function taskChanges(patch: TaskPatch): Partial<NewTask> {
  const out: Partial<NewTask> = {};
  if ('title' in patch) out.title = title(patch.title, 'input.title');
  if ('description' in patch) {
    out.description = text(patch.description, 'input.description', MAX_DESCRIPTION);
  }
  if ('customerId' in patch) out.customerId = customerIdOf(patch.customerId, 'input.customerId');
  if ('assignee' in patch) out.assignee = userId(patch.assignee, 'input.assignee');
  if ('startAt' in patch) out.startAt = instant(patch.startAt);
  if ('dueAt' in patch) out.dueAt = instant(patch.dueAt);
  if ('status' in patch) out.status = status(patch.status, 'input.status');
  return out;
}
