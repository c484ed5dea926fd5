// Fairness between workspaces inside one process. Every workspace shares a subgraph's
// event loop and its database pool, so one workspace's heavy requests (a large filter
// counted in twenty aliases, a 100,000-number phone list) must not starve another's
// simple query, nor the Kafka consumer's heartbeats.
//
// - createWorkspaceLimiter: at most `concurrency` heavy tasks run per workspace; the
//   rest wait first-come first-served in that workspace's queue, up to `maxQueued`;
//   past that a task is refused at once with TOO_MANY_REQUESTS and a `retryAfterMs`
//   hint. Workspaces never wait for each other.
// - yieldToEventLoop / inChunks: long CPU loops give the event loop back between
//   chunks (setImmediate runs after pending I/O callbacks), so sockets, timers and
//   other requests are served in between.
import os from 'node:os';
import { PublicErrorCode, publicError } from './errors';

export interface WorkspaceLimiterOptions {
  /** Heavy tasks running at once per workspace. */
  concurrency: number;
  /** Tasks waiting per workspace; one more is refused. */
  maxQueued: number;
  /** The hint given with a refusal. */
  retryAfterMs: number;
  /** Names the work in the refusal's message, e.g. "heavy customer queries". */
  what?: string;
}

export interface WorkspaceLimiter {
  /** Runs `task` when the workspace has a free slot; refuses when its queue is full. */
  run<T>(workspaceId: string, task: () => Promise<T>): Promise<T>;
  /** Running and waiting tasks of a workspace (for tests and metrics). */
  load(workspaceId: string): { running: number; queued: number };
}

interface Lane {
  running: number;
  waiting: (() => void)[];
}

export function createWorkspaceLimiter(options: WorkspaceLimiterOptions): WorkspaceLimiter {
  const { concurrency, maxQueued, retryAfterMs, what = 'heavy requests' } = options;
  if (!(concurrency >= 1) || !(maxQueued >= 0)) {
    throw new Error('a workspace limiter needs concurrency >= 1 and maxQueued >= 0');
  }
  const lanes = new Map<string, Lane>();

  const acquire = (workspaceId: string): Promise<void> | undefined => {
    let lane = lanes.get(workspaceId);
    if (!lane) {
      lane = { running: 0, waiting: [] };
      lanes.set(workspaceId, lane);
    }
    if (lane.running < concurrency) {
      lane.running++;
      return undefined;
    }
    if (lane.waiting.length >= maxQueued) {
      throw publicError(
        PublicErrorCode.TOO_MANY_REQUESTS,
        `this workspace already has ${concurrency} ${what} running and ${lane.waiting.length} waiting; retry later`,
        { limit: concurrency + maxQueued, retryAfterMs },
      );
    }
    // The slot is handed over by release(), so `running` never drops in between and
    // a newcomer cannot overtake the queue.
    return new Promise<void>((resolve) => lane.waiting.push(resolve));
  };

  const release = (workspaceId: string): void => {
    const lane = lanes.get(workspaceId)!;
    const next = lane.waiting.shift();
    if (next) {
      next();
      return;
    }
    lane.running--;
    if (lane.running === 0) lanes.delete(workspaceId);
  };

  return {
    async run(workspaceId, task) {
      const wait = acquire(workspaceId);
      if (wait) await wait;
      try {
        return await task();
      } finally {
        release(workspaceId);
      }
    },
    load(workspaceId) {
      const lane = lanes.get(workspaceId);
      return { running: lane?.running ?? 0, queued: lane?.waiting.length ?? 0 };
    },
  };
}

/**
 * Heavy work (reading every row a filter selects: a filtered list or count, a
 * grouping), limited per workspace the same way in every subgraph: a workspace's
 * heavy work runs on at most half the machine's cores (bench:neighbours measured
 * another workspace's p99 at 3.9× its quiet figure with two running, 1.8× with one),
 * HEAVY_QUEUE more wait their turn, and the next is TOO_MANY_REQUESTS. Aliases of one
 * heavy field queue like separate requests.
 */
export const HEAVY_CONCURRENCY = Math.max(1, Math.floor(os.availableParallelism() / 2));
export const HEAVY_QUEUE = 20;
export const HEAVY_RETRY_AFTER_MS = 1_000;

/** A limiter of heavy work (see HEAVY_CONCURRENCY); `what` names it in refusals. */
export function createHeavyWorkLimiter(what: string): WorkspaceLimiter {
  return createWorkspaceLimiter({
    concurrency: HEAVY_CONCURRENCY,
    maxQueued: HEAVY_QUEUE,
    retryAfterMs: HEAVY_RETRY_AFTER_MS,
    what,
  });
}

/** Lets pending I/O, timers and other requests run before going on. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Drives a generator that yields between chunks of CPU work, giving the event loop
 * back at each yield; the same generator can be run synchronously with runToEnd.
 */
export async function inChunks<T>(work: Generator<void, T, void>): Promise<T> {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    await yieldToEventLoop();
  }
}

/** Runs a chunked generator to its end without yielding (small inputs, tests). */
export function runToEnd<T>(work: Generator<void, T, void>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}
