// Which bulk job's batch runs next. Jobs of one workspace run oldest first; between
// workspaces, the one whose batch ran least recently goes next (round-robin), so a
// thousand jobs queued by one workspace do not hold back another workspace's one: it
// waits for at most one batch of each other busy workspace.

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
