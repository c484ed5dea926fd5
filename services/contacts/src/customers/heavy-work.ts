// Heavy work in the contacts process, limited per workspace (see the runtime's
// fairness.ts): a customer list with a filter, any count, a saved list evaluated or
// split, a phone-list marking, a bulk job started. A workspace's heavy work runs on at
// most half the machine's cores (one of two here: bench:neighbours measured another
// workspace's p99 at 3.9× its quiet figure with two running, 1.8× with one), twenty
// more wait their turn, and the next is TOO_MANY_REQUESTS. Aliases of one heavy
// field in one request are so many tasks: they queue like separate requests, so a
// request cannot multiply the transactions or CPU it holds by repeating a field.
import os from 'node:os';
import { createWorkspaceLimiter } from '@customer-graph/runtime';

export const HEAVY_CONCURRENCY = Math.max(1, Math.floor(os.availableParallelism() / 2));
export const HEAVY_QUEUE = 20;
export const HEAVY_RETRY_AFTER_MS = 1_000;

const limiter = createWorkspaceLimiter({
  concurrency: HEAVY_CONCURRENCY,
  maxQueued: HEAVY_QUEUE,
  retryAfterMs: HEAVY_RETRY_AFTER_MS,
  what: 'heavy customer operations (filtered lists, counts, phone lists, bulk jobs)',
});

/** Runs `task` within the workspace's share of heavy work. */
export function heavy<T>(workspaceId: string, task: () => Promise<T>): Promise<T> {
  return limiter.run(workspaceId, task);
}
