// The opportunity domain's refusals, mapped onto the public error codes in this one
// place. Each names the argument or input field it is about (`extensions.field`).
// Malformed values are BAD_USER_INPUT through the runtime's `badInput`.
import type { GraphQLError } from 'graphql';
import { badInput, publicError, PublicErrorCode } from '@customer-graph/runtime';

export enum OpportunityErrorCode {
  /** No such opportunity, another workspace's, or one the caller may not see. */
  OPPORTUNITY_NOT_FOUND = 'OPPORTUNITY_NOT_FOUND',
  /** No such customer, another workspace's, or one the caller may not change. */
  CUSTOMER_NOT_FOUND = 'CUSTOMER_NOT_FOUND',
  /** A staff member changing what only the customer's own staff member may change. */
  NOT_YOUR_CUSTOMER = 'NOT_YOUR_CUSTOMER',
  /** A move of a won or lost opportunity. */
  CLOSED = 'CLOSED',
}

export function opportunityError(
  code: OpportunityErrorCode,
  field: string,
  subject: string,
): GraphQLError {
  switch (code) {
    case OpportunityErrorCode.OPPORTUNITY_NOT_FOUND:
      return publicError(PublicErrorCode.NOT_FOUND, `no opportunity ${subject}`, { field });
    case OpportunityErrorCode.CUSTOMER_NOT_FOUND:
      return publicError(PublicErrorCode.NOT_FOUND, `no customer ${subject}`, { field });
    case OpportunityErrorCode.NOT_YOUR_CUSTOMER:
      return publicError(
        PublicErrorCode.FORBIDDEN,
        `${subject} of an opportunity with a customer not assigned to you cannot be changed by staff`,
        { field },
      );
    case OpportunityErrorCode.CLOSED:
      return badInput(field, `the opportunity is ${subject}: WON and LOST are terminal`);
  }
}
