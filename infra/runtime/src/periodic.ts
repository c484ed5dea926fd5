// A background loop that runs a pass, sleeps, and runs again until stopped: the shape of
// every periodic worker (pruning webhook replays and expired files, keeping marketing's
// month partitions, starting scheduled campaigns, posting sandbox reports). A pass that
// says more is waiting (a full batch) is followed at once; a failed pass is reported
// and tried again after the sleep; `stop` wakes the sleep and waits for the pass in
// flight, so nothing is cut half way when the process shuts down.
import { createWaker } from './waker';
import type { Worker } from './subgraph.types';

export interface PeriodicOptions {
  /** The sleep between two passes. */
  everyMs: number;
  /** One pass; resolving to `true` (only) says work is left now: the next runs at once. */
  pass(): Promise<unknown>;
  /** Reports a failed pass (in the caller's words); the next runs after the sleep. */
  failed(error: Error): void;
  /** Wait a whole sleep before the first pass (default: the first pass runs at start). */
  delayFirst?: boolean;
}

export interface PeriodicWorker extends Worker {
  /** Ends the current sleep (or the next one): new work was just committed. */
  wake(): void;
}

export function startPeriodic(options: PeriodicOptions): PeriodicWorker {
  let stopped = false;
  const waker = createWaker();
  const loop = async () => {
    if (options.delayFirst) await waker.sleep(options.everyMs);
    while (!stopped) {
      let more = false;
      try {
        more = (await options.pass()) === true;
      } catch (error) {
        options.failed(error as Error);
      }
      if (!more && !stopped) await waker.sleep(options.everyMs);
    }
  };
  const running = loop();
  return {
    wake: () => waker.wake(),
    stop: async () => {
      stopped = true;
      waker.wake();
      await running;
    },
  };
}
