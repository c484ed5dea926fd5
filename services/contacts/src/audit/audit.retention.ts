// Keeps audit entries AUDIT_RETENTION_DAYS (config.ts; 365 by default): at start and
// then daily, deletes the older ones of every workspace in batches of PRUNE_BATCH
// (each its own short statement, so no long lock and no huge transaction).
import type { DataSource } from 'typeorm';
import { startPeriodic } from '@customer-graph/runtime';
import type { Logger, Worker } from '@customer-graph/runtime';

export const PRUNE_INTERVAL_MS = 86_400_000;
export const PRUNE_BATCH = 5_000;
const DAY_MS = 86_400_000;

/** Deletes the entries older than `retentionDays` before `now`; answers how many. */
export async function pruneAuditEntries(
  db: Pick<DataSource, 'query'>,
  retentionDays: number,
  now = new Date(),
  batch = PRUNE_BATCH,
): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  let total = 0;
  for (;;) {
    // Maintenance across workspaces (the one statement here without workspace_id):
    // the oldest first, by the index on `at`.
    const [, deleted] = (await db.query(
      `DELETE FROM audit_entry a USING (
         SELECT id FROM audit_entry WHERE at < $1 ORDER BY at LIMIT $2 FOR UPDATE SKIP LOCKED
       ) old WHERE a.id = old.id`,
      [cutoff, batch],
    )) as [unknown, number];
    total += deleted;
    if (deleted < batch) return total;
  }
}

export function startAuditRetention(
  db: DataSource,
  logger: Logger,
  retentionDays: number,
  intervalMs = PRUNE_INTERVAL_MS,
): Worker {
  return startPeriodic({
    everyMs: intervalMs,
    pass: async () => {
      const pruned = await pruneAuditEntries(db, retentionDays);
      if (pruned > 0) logger.info('audit entries pruned', { pruned, retentionDays });
    },
    failed: (error) => logger.warn('audit prune failed; will retry', { error: error.message }),
  });
}
