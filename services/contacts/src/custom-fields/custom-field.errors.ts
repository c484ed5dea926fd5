// The custom-field domain's refusals. Each has its own code (in `extensions.code`) so a
// client can tell "upgrade your plan" from "you have ten already"; each names the
// plan or limit it is about.
import { GraphQLError } from 'graphql';

export enum CustomFieldErrorCode {
  /** The workspace's plan does not allow this field type. */
  PLAN_REQUIRED = 'CUSTOM_FIELD_PLAN_REQUIRED',
  /** The workspace already has the most fields of this type. */
  LIMIT_REACHED = 'CUSTOM_FIELD_LIMIT_REACHED',
  /** Another field has this key. */
  KEY_TAKEN = 'CUSTOM_FIELD_KEY_TAKEN',
  /** No field has this key. */
  NOT_FOUND = 'CUSTOM_FIELD_NOT_FOUND',
}

export function customFieldError(
  code: CustomFieldErrorCode,
  message: string,
  extensions: { field: string; [key: string]: unknown },
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}
