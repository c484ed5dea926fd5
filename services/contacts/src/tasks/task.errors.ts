// The task domain's refusals, mapped onto the public error codes in this one place.
// Each names the argument or input field it is about (`extensions.field`). Malformed
// values are BAD_USER_INPUT through the runtime's `badInput`.
import type { GraphQLError } from 'graphql';
import { publicError, PublicErrorCode } from '@customer-graph/runtime';

export enum TaskErrorCode {
  /** No such task, another workspace's, or one the caller may not see. */
  TASK_NOT_FOUND = 'TASK_NOT_FOUND',
  /** No such customer, another workspace's, or one the caller may not change. */
  CUSTOMER_NOT_FOUND = 'CUSTOMER_NOT_FOUND',
  /** A staff member changing what only the customer's own staff member may change. */
  NOT_YOUR_CUSTOMER = 'NOT_YOUR_CUSTOMER',
}

export function taskError(code: TaskErrorCode, field: string, subject: string): GraphQLError {
  switch (code) {
    case TaskErrorCode.TASK_NOT_FOUND:
      return publicError(PublicErrorCode.NOT_FOUND, `no task ${subject}`, { field });
    case TaskErrorCode.CUSTOMER_NOT_FOUND:
      return publicError(PublicErrorCode.NOT_FOUND, `no customer ${subject}`, { field });
    case TaskErrorCode.NOT_YOUR_CUSTOMER:
      return publicError(
        PublicErrorCode.FORBIDDEN,
        `${subject} of a task on a customer not assigned to you cannot be changed by staff`,
        { field },
      );
  }
}
