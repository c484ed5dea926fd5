// Keeps the message partitions (message.partitions.ts): at start and then daily, creates
// the current month and the next two, and drops the months past the retention
// (MARKETING_RETENTION_MONTHS, config.ts). Dropping a month is one DDL statement per
// table, whatever it holds: no row-by-row delete of a large table.
import type { DataSource, EntityManager } from 'typeorm';
import { startPeriodic } from '@customer-graph/runtime';
import type { Logger, Worker } from '@customer-graph/runtime';
import { addMonths, dropMonthsBefore, ensureMonths, monthStart } from './message.partitions';

export const RETENTION_INTERVAL_MS = 86_400_000;

export async function maintainPartitions(
  db: Pick<EntityManager, 'query' | 'transaction'>,
  retentionMonths: number,
  now = new Date(),
): Promise<Date[]> {
  await ensureMonths(db, now, addMonths(monthStart(now), 2));
  return dropMonthsBefore(db, retentionMonths, now);
}

export function startRetentionWorker(
  db: DataSource,
  logger: Logger,
  retentionMonths: number,
  intervalMs = RETENTION_INTERVAL_MS,
): Worker {
  return startPeriodic({
    everyMs: intervalMs,
    pass: async () => {
      const dropped = await maintainPartitions(db, retentionMonths);
      if (dropped.length > 0) {
        logger.info('marketing months dropped past the retention', {
          months: dropped.map((m) => m.toISOString().slice(0, 7)),
          retentionMonths,
        });
      }
    },
    failed: (error) =>
      logger.warn('marketing partition upkeep failed; will retry', { error: error.message }),
  });
}
