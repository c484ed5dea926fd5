// Starts SCHEDULED campaigns when their time comes: every few seconds, those due
// (campaign_due_idx), in every workspace, a few per transaction (campaign.start.ts).
import type { DataSource } from 'typeorm';
import { createWaker } from '@customer-graph/runtime';
import type { Logger, Worker } from '@customer-graph/runtime';
import { startDueCampaigns } from './campaign.start';

export const SCHEDULER_INTERVAL_MS = 5_000;

export function startCampaignScheduler(
  db: DataSource,
  logger: Logger,
  intervalMs = SCHEDULER_INTERVAL_MS,
): Worker {
  let stopped = false;
  const waker = createWaker();
  const loop = async () => {
    while (!stopped) {
      let started = 0;
      try {
        started = await startDueCampaigns(db);
        if (started > 0) logger.info('scheduled campaigns started', { started });
      } catch (error) {
        logger.warn('starting scheduled campaigns failed; will retry', {
          error: (error as Error).message,
        });
      }
      // A full batch may mean more are due: go on at once.
      if (started < 20) await waker.sleep(intervalMs);
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
