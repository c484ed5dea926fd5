// Background jobs kept in a table (contacts' bulk jobs, orders' CSV imports): a worker
// runs one batch of one job at a time, and a batch commits its own checkpoint, so a
// restarted process (or a second worker) goes on from the last committed batch.
//
// Which job's batch runs next: jobs of one workspace run oldest first; between
// workspaces, the one whose batch ran least recently goes next (round-robin), so a
// thousand jobs queued by one workspace, or one huge job, do not hold back another
// workspace's one: it waits for at most one batch of each other busy workspace.
import { createWaker } from './waker';
import type { Logger } from './logger';
import type { Worker } from './subgraph.types';

/** The oldest pending job of one workspace. */
export interface PendingJob {
  id: string;
  workspaceId: string;
  createdAt: Date;
}

/** Remembers when each workspace last had a batch run (by this worker). */
export interface FairScheduler {
  /** The job to run next among each workspace's oldest pending job, or null. */
  pick(candidates: readonly PendingJob[]): PendingJob | null;
}

export function createFairScheduler(): FairScheduler {
  const lastRun = new Map<string, number>();
  let turn = 0;
  return {
    pick(candidates) {
      // Workspaces with nothing pending are forgotten, so the map stays small.
      const pending = new Set(candidates.map((c) => c.workspaceId));
      for (const workspaceId of lastRun.keys()) {
        if (!pending.has(workspaceId)) lastRun.delete(workspaceId);
      }
      let next: PendingJob | null = null;
      for (const c of candidates) {
        if (next === null) {
          next = c;
          continue;
        }
        const mine = lastRun.get(c.workspaceId) ?? 0;
        const best = lastRun.get(next.workspaceId) ?? 0;
        if (mine < best || (mine === best && c.createdAt < next.createdAt)) next = c;
      }
      if (next) lastRun.set(next.workspaceId, ++turn);
      return next;
    },
  };
}

/** One batch: the job has more to do, is finished, or another worker holds it. */
export type BatchOutcome = 'more' | 'finished' | 'busy';

export interface JobQueue {
  /** Names the jobs in logs, e.g. "bulk job". */
  what: string;
  /** Each workspace's oldest job still to run (queued, or interrupted mid-way). */
  pending(): Promise<PendingJob[]>;
  /** Runs the job's next batch and commits its checkpoint. */
  runBatch(jobId: string): Promise<BatchOutcome>;
  /** Marks the job FAILED with the sentence a client will read. */
  fail(jobId: string, publicReason: string): Promise<unknown>;
}

/** Failed batches in a row after which a job is given up (FAILED). */
export const MAX_BATCH_FAILURES = 5;

/** What a client reads of a job given up for an internal failure (details are logged). */
export const JOB_FAILED_MESSAGE = `the job failed ${MAX_BATCH_FAILURES} times in a row and was stopped; run it again, or ask support with the job id`;

/**
 * Runs queued and interrupted jobs one batch at a time, workspaces in turn. A batch
 * refused as BAD_USER_INPUT fails its job with that message (the job's input no
 * longer holds); any other error is logged and retried at the next poll, up to
 * MAX_BATCH_FAILURES in a row, so one broken job cannot hold the queue forever.
 */
export function startJobWorker(queue: JobQueue, logger: Logger, pollMs = 250): Worker {
  let stopped = false;
  const waker = createWaker();
  const scheduler = createFairScheduler();
  const failures = new Map<string, number>();
  const warn = (error: unknown) =>
    logger.warn(`${queue.what} batch failed; will retry`, { error: (error as Error).message });
  const loop = async () => {
    while (!stopped) {
      let jobId: string | null = null;
      let outcome: BatchOutcome | 'idle' = 'idle';
      try {
        const pending = await queue.pending();
        // A job finished or failed by another worker leaves no count behind here.
        for (const id of failures.keys()) {
          if (!pending.some((job) => job.id === id)) failures.delete(id);
        }
        jobId = scheduler.pick(pending)?.id ?? null;
        if (jobId) outcome = await queue.runBatch(jobId);
        if (jobId) failures.delete(jobId);
      } catch (error) {
        const code = (error as { extensions?: { code?: string } }).extensions?.code;
        const failed = jobId ? (failures.get(jobId) ?? 0) + 1 : 0;
        if (jobId) failures.set(jobId, failed);
        if (jobId && (code === 'BAD_USER_INPUT' || failed >= MAX_BATCH_FAILURES)) {
          // A job's reason is read by clients: a refusal says what is wrong; any other
          // failure (SQL text, a host) is logged here and stored as a plain sentence.
          const publicReason = code === 'BAD_USER_INPUT';
          if (!publicReason) logger.error(`${queue.what} given up`, { jobId, error });
          failures.delete(jobId);
          await queue
            .fail(jobId, publicReason ? (error as Error).message : JOB_FAILED_MESSAGE)
            .catch(warn);
        } else {
          warn(error);
        }
      }
      if (outcome === 'more' || outcome === 'finished') continue;
      await waker.sleep(pollMs);
    }
  };
  const running = loop();
  return {
    stop: async () => {
      stopped = true;
      waker.wake();
      await running;
    },
  };
}
