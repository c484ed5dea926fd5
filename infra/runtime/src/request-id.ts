// The request id: one per HTTP request, named in the logs of everything the request
// does and in the audit entries it writes (audit.ts, docs/audit.md).
//
// The gateway takes a caller's `x-request-id` when it is sane (8–64 of
// [A-Za-z0-9._-]) and makes one (a UUID) otherwise; it answers with it in the
// `x-request-id` response header and signs it into the context of every subgraph call
// (identity.ts, claim `q`), so a subgraph's Identity carries it and no caller of a
// subgraph can forge it. Each server (gateway or subgraph) keeps the id of the request
// it is serving in an AsyncLocalStorage, which the logger reads: a log line written
// while serving a request says `requestId=…` without being handed it.
//
// Tracing across events (W3C traceparent) is a later issue: it would sit beside
// `requestId` in RequestState below and in the signed context.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What a request id may be: 8 to 64 letters, digits, dots, underscores or hyphens. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{8,64}$/;

export function isRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID_PATTERN.test(value);
}

/** The caller's id when it is sane, a new one otherwise. */
export function requestIdFrom(given: string | string[] | undefined): string {
  const value = Array.isArray(given) ? given[0] : given;
  return isRequestId(value) ? value : randomUUID();
}

/** What a server knows of the request it is serving. */
export interface RequestState {
  /** Mutable: a subgraph replaces the header's id with the signed one once verified. */
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestState>();

/** Runs `fn` (and everything it starts) as part of the request `scope`. */
export function runInRequest<T>(scope: RequestState, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The scope of the request being served, if any (not in workers or consumers). */
export function currentRequest(): RequestState | undefined {
  return storage.getStore();
}
