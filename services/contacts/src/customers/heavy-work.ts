// Heavy work in the contacts process, limited per workspace as every subgraph's is (the
// runtime's fairness.ts, createHeavyWorkLimiter): a customer list with a filter, any
// count, a saved list evaluated or split, a phone-list marking, a bulk job started,
// customerStats, callStats.
import { createHeavyWorkLimiter } from '@customer-graph/runtime';

export { HEAVY_CONCURRENCY, HEAVY_QUEUE } from '@customer-graph/runtime';

const limiter = createHeavyWorkLimiter(
  'heavy customer operations (filtered lists, counts, phone lists, bulk jobs)',
);

/** Runs `task` within the workspace's share of heavy work. */
export function heavy<T>(workspaceId: string, task: () => Promise<T>): Promise<T> {
  return limiter.run(workspaceId, task);
}
