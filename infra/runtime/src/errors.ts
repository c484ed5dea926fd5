// The public error codes every subgraph and the gateway may return, in
// `extensions.code`. Domains keep their own enums and map onto these in one place.
import { GraphQLError } from 'graphql';

/**
 * Every code a client can see, from the gateway or any subgraph. Anything else is
 * answered as INTERNAL_SERVER_ERROR (public-errors.ts is the one place that maps).
 */
export enum PublicErrorCode {
  // The request itself
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  BAD_REQUEST = 'BAD_REQUEST',
  GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
  OPERATION_RESOLUTION_FAILURE = 'OPERATION_RESOLUTION_FAILURE',
  PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_SUPPORTED = 'PERSISTED_QUERY_NOT_SUPPORTED',
  /** In trusted mode, a document the frontend client sent that is not registered; `extensions.hash` names it. */
  OPERATION_NOT_TRUSTED = 'OPERATION_NOT_TRUSTED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  // Who is asking
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  // The data
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  // Limits (gateway query limits; per-request budgets and time limits)
  QUERY_TOO_DEEP = 'QUERY_TOO_DEEP',
  QUERY_TOO_MANY_ALIASES = 'QUERY_TOO_MANY_ALIASES',
  QUERY_TOO_COSTLY = 'QUERY_TOO_COSTLY',
  /** A per-workspace limit on concurrent heavy work; `extensions.retryAfterMs` says when to retry. */
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
  REQUEST_TIMEOUT = 'REQUEST_TIMEOUT',
  // A subgraph behind the gateway
  SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE',
  SUBGRAPH_TIMEOUT = 'SUBGRAPH_TIMEOUT',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

const PUBLIC_CODES = new Set<string>(Object.values(PublicErrorCode));

export function isPublicErrorCode(code: unknown): code is PublicErrorCode {
  return typeof code === 'string' && PUBLIC_CODES.has(code);
}

/**
 * A GraphQLError with a public code and, for input errors, the argument or field
 * it is about (`extensions.field`), so a client can point at the right input.
 */
export function publicError(
  code: PublicErrorCode,
  message: string,
  extra: { field?: string; [key: string]: unknown } = {},
): GraphQLError {
  return new GraphQLError(message, {
    // No HTTP status here: a field error is part of a 200 response with partial data
    // (a non-2xx answer would make the gateway discard the subgraph's whole result).
    extensions: { code, ...extra },
  });
}

export function badInput(field: string, message: string): GraphQLError {
  return publicError(PublicErrorCode.BAD_USER_INPUT, message, { field });
}

/** Refuses the request unless the caller's role is one of `roles`. */
export function requireRole(
  identity: { role: string },
  roles: readonly string[],
  action: string,
): void {
  if (!roles.includes(identity.role)) {
    throw publicError(
      PublicErrorCode.FORBIDDEN,
      `${action} needs one of the roles ${roles.join(', ')}; you are ${identity.role}`,
    );
  }
}
