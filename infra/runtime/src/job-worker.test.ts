import { GraphQLError } from 'graphql';
import {
  JOB_FAILED_MESSAGE,
  MAX_BATCH_FAILURES,
  createFairScheduler,
  startJobWorker,
} from './job-worker';
import type { BatchOutcome, JobQueue, PendingJob } from './job-worker';
import { createLogger } from './logger';

const at = (second: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, second));

describe('createFairScheduler', () => {
  it("gives B's single job a turn while A still has many queued", () => {
    const scheduler = createFairScheduler();
    // A queued a thousand jobs long before B's one; each round sees each workspace's oldest.
    let aNext = 0;
    const aOldest = (): PendingJob => ({ id: `a${aNext}`, workspaceId: 'A', createdAt: at(aNext) });
    const b: PendingJob = { id: 'b0', workspaceId: 'B', createdAt: at(59) };
    const order: string[] = [];
    let bDone = false;
    for (let round = 0; round < 6; round++) {
      const candidates = bDone ? [aOldest()] : [aOldest(), b];
      const picked = scheduler.pick(candidates)!;
      order.push(picked.id);
      if (picked.workspaceId === 'A') aNext++;
      else bDone = true;
    }
    expect(order).toEqual(['a0', 'b0', 'a1', 'a2', 'a3', 'a4']);
  });

  it('takes turns between busy workspaces, the oldest job first among equals', () => {
    const scheduler = createFairScheduler();
    const jobs: PendingJob[] = [
      { id: 'c', workspaceId: 'C', createdAt: at(3) },
      { id: 'a', workspaceId: 'A', createdAt: at(1) },
      { id: 'b', workspaceId: 'B', createdAt: at(2) },
    ];
    const picks = Array.from({ length: 6 }, () => scheduler.pick(jobs)!.id);
    expect(picks).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('answers null when nothing is pending', () => {
    expect(createFairScheduler().pick([])).toBeNull();
  });
});

describe('startJobWorker', () => {
  /** Jobs as batches left to run; a job's batch may throw. */
  function queueOf(jobs: { id: string; workspaceId: string; batches: number; throws?: Error }[]) {
    const ran: string[] = [];
    const failed = new Map<string, string>();
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const left = () => jobs.filter((j) => j.batches > 0 && !failed.has(j.id));
    const queue: JobQueue = {
      what: 'test job',
      pending: async () => {
        const open = left();
        if (open.length === 0) settle();
        // Each workspace's oldest (first listed) job.
        const seen = new Set<string>();
        return open
          .filter((j) => !seen.has(j.workspaceId) && seen.add(j.workspaceId))
          .map((j, i) => ({ id: j.id, workspaceId: j.workspaceId, createdAt: new Date(i) }));
      },
      runBatch: async (id): Promise<BatchOutcome> => {
        const job = jobs.find((j) => j.id === id)!;
        ran.push(id);
        if (job.throws) throw job.throws;
        job.batches--;
        return job.batches > 0 ? 'more' : 'finished';
      },
      fail: async (id, reason) => failed.set(id, reason),
    };
    return { queue, ran, failed, settled };
  }
  const quiet = createLogger('error', () => undefined);

  it("runs workspaces' batches in turn: a big job does not hold back another workspace's", async () => {
    const { queue, ran, settled } = queueOf([
      { id: 'a1', workspaceId: 'A', batches: 4 },
      { id: 'a2', workspaceId: 'A', batches: 1 },
      { id: 'b1', workspaceId: 'B', batches: 2 },
    ]);
    const worker = startJobWorker(queue, quiet, 1);
    await settled;
    await worker.stop();
    expect(ran).toEqual(['a1', 'b1', 'a1', 'b1', 'a1', 'a1', 'a2']);
  });

  it('fails a job refused as BAD_USER_INPUT with its message, and one that keeps failing with a plain sentence', async () => {
    const { queue, ran, failed, settled } = queueOf([
      {
        id: 'bad',
        workspaceId: 'A',
        batches: 1,
        throws: new GraphQLError('the file is gone', { extensions: { code: 'BAD_USER_INPUT' } }),
      },
      {
        id: 'broken',
        workspaceId: 'B',
        batches: 1,
        throws: new Error('connection reset by 10.0.0.7'),
      },
    ]);
    const worker = startJobWorker(queue, quiet, 1);
    await settled;
    await worker.stop();
    expect(failed).toEqual(
      new Map([
        ['bad', 'the file is gone'],
        ['broken', JOB_FAILED_MESSAGE],
      ]),
    );
    expect(ran.filter((id) => id === 'bad')).toHaveLength(1);
    expect(ran.filter((id) => id === 'broken')).toHaveLength(MAX_BATCH_FAILURES);
  });
});
