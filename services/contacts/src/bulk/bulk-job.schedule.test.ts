import { createFairScheduler } from './bulk-job.schedule';
import type { PendingJob } from './bulk-job.schedule';

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
