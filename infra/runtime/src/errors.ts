// The public error codes every subgraph and the gateway may return, in
// `extensions.code`. Domains keep their own enums and map onto these in one place.
import { GraphQLError } from 'graphql';

export enum PublicErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  FORBIDDEN = 'FORBIDDEN',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  CONFLICT = 'CONFLICT',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

const httpStatus: Record<PublicErrorCode, number> = {
  [PublicErrorCode.BAD_USER_INPUT]: 400,
  [PublicErrorCode.NOT_FOUND]: 404,
  [PublicErrorCode.FORBIDDEN]: 403,
  [PublicErrorCode.UNAUTHENTICATED]: 401,
  [PublicErrorCode.CONFLICT]: 409,
  [PublicErrorCode.INTERNAL_SERVER_ERROR]: 500,
};

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
    extensions: { code, ...extra, http: { status: httpStatus[code] } },
  });
}

export function badInput(field: string, message: string): GraphQLError {
  return publicError(PublicErrorCode.BAD_USER_INPUT, message, { field });
}
