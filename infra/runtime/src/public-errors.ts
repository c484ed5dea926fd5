// The one place where an error becomes what a client sees, for the gateway and every
// subgraph (Apollo's formatError). A client sees:
//   - errors whose code is in PublicErrorCode, with their message (written for
//     clients) and only the extensions listed in CLIENT_EXTENSIONS;
//   - a statement cancelled by Postgres's statement_timeout as REQUEST_TIMEOUT;
//   - anything else as INTERNAL_SERVER_ERROR "internal error", logged in full.
// With exposeDetails (development), everything is passed on as it is, for debugging.
// In production no host, port, SQL text or stack reaches a client.
import type { GraphQLFormattedError } from 'graphql';
import { PublicErrorCode, isPublicErrorCode } from './errors';
import type { Logger } from './logger';

/** Extensions a client may see; others (reason, response, stacktrace …) are dropped. */
const CLIENT_EXTENSIONS = new Set([
  'code',
  'field',
  'limit',
  'actual',
  'serviceName',
  'retryAfterMs',
  // The operation hash a trusted-operations refusal names.
  'hash',
]);

/** Postgres's query_canceled: a statement_timeout (or a cancel) ended the statement. */
const PG_QUERY_CANCELED = '57014';

function isStatementTimeout(error: unknown): boolean {
  // A resolver's error arrives wrapped (GraphQLError → TypeORM's QueryFailedError →
  // pg's DatabaseError): look down the chain.
  for (let e = error as Record<string, unknown> | undefined, i = 0; e && i < 5; i++) {
    if (e.code === PG_QUERY_CANCELED) return true;
    e = (e.originalError ?? e.driverError) as Record<string, unknown> | undefined;
  }
  return false;
}

export type FormatError = (
  formatted: GraphQLFormattedError,
  error: unknown,
) => GraphQLFormattedError;

export function publicErrorFormatter(
  exposeDetails: boolean,
  logger: Logger,
  source: string,
): FormatError {
  return (formatted, error) => {
    if (isStatementTimeout(error)) {
      logger.warn('statement timeout', { source, path: formatted.path?.join('.') });
      return {
        message:
          'the request took longer than allowed; ask for less (a narrower filter, a smaller page)',
        path: formatted.path,
        extensions: { code: PublicErrorCode.REQUEST_TIMEOUT },
      };
    }
    const code = formatted.extensions?.code;
    if (isPublicErrorCode(code) && code !== PublicErrorCode.INTERNAL_SERVER_ERROR) {
      if (exposeDetails) return formatted;
      const extensions = Object.fromEntries(
        Object.entries(formatted.extensions ?? {}).filter(([key]) => CLIENT_EXTENSIONS.has(key)),
      );
      return {
        message: formatted.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions,
      };
    }
    logger.error(`${source} error`, { path: formatted.path?.join('.'), code, error });
    if (exposeDetails) return formatted;
    return {
      message: 'internal error',
      path: formatted.path,
      extensions: { code: PublicErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
