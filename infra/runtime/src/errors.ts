// The public error codes every subgraph and the gateway may return, in
// `extensions.code`. Domains keep their own enums and map onto these in one place.
import { GraphQLError } from 'graphql';

export enum PublicErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  FORBIDDEN = 'FORBIDDEN',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  CONFLICT = 'CONFLICT',
  /** A per-workspace limit on concurrent heavy work; `extensions.retryAfterMs` says when to retry. */
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
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
