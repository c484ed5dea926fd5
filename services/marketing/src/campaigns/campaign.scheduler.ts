// Starts SCHEDULED campaigns when their time comes: every few seconds, those due
// (campaign_due_idx), in every workspace, a few per transaction (campaign.start.ts).
import type { DataSource } from 'typeorm';
import { startPeriodic } from '@customer-graph/runtime';
import type { Logger, Worker } from '@customer-graph/runtime';
import { startDueCampaigns } from './campaign.start';

export const SCHEDULER_INTERVAL_MS = 5_000;

export function startCampaignScheduler(
  db: DataSource,
  logger: Logger,
  intervalMs = SCHEDULER_INTERVAL_MS,
): Worker {
  return startPeriodic({
    everyMs: intervalMs,
    pass: async () => {
      const started = await startDueCampaigns(db);
      if (started > 0) logger.info('scheduled campaigns started', { started });
      // A full batch may mean more are due: go on at once.
      return started >= 20;
    },
    failed: (error) =>
      logger.warn('starting scheduled campaigns failed; will retry', { error: error.message }),
  });
}
