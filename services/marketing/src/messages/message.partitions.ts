// marketing_message and message_event are partitioned by month of the message's
// created_at (docs/marketing.md): a customer's tab reads the months it pages through,
// a campaign's messages sit in one month (they are all created at the campaign's
// start), and retention drops whole months. A partition is created before a row of its
// month is written (`ensureMonths`), and the oldest are dropped past the retention.
import type { EntityManager } from 'typeorm';
import { subtractMonth } from './summary.kept';

export const PARTITIONED = ['marketing_message', 'message_event'] as const;

/** The first instant of the month (UTC) that holds `at`. */
export function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export function addMonths(at: Date, months: number): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1));
}

/** e.g. marketing_message_2026_11. */
export function partitionName(table: string, month: Date): string {
  return `${table}_${month.getUTCFullYear()}_${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Creates the monthly partitions of both tables from `from`'s month to `to`'s, if missing. */
export async function ensureMonths(
  db: Pick<EntityManager, 'query'>,
  from: Date,
  to: Date,
): Promise<void> {
  for (let month = monthStart(from); month <= to; month = addMonths(month, 1)) {
    for (const table of PARTITIONED) {
      await db.query(
        `CREATE TABLE IF NOT EXISTS ${partitionName(table, month)} PARTITION OF ${table}
           FOR VALUES FROM ('${month.toISOString()}') TO ('${addMonths(month, 1).toISOString()}')`,
      );
    }
  }
}

/** The months (their first instant) that have a partition, oldest first. */
export async function partitionMonths(db: Pick<EntityManager, 'query'>): Promise<Date[]> {
  const rows: { name: string }[] = await db.query(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'marketing_message' ORDER BY c.relname`,
  );
  return rows.flatMap(({ name }) => {
    const m = /_(\d{4})_(\d{2})$/.exec(name);
    return m ? [new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1))] : [];
  });
}

/**
 * Drops the months wholly older than `retentionMonths` before `now`'s month, in both
 * tables, oldest first; returns the months dropped. Each month in a transaction of its
 * own that first takes its messages out of the kept summary (summary.kept.ts), with
 * writers of marketing_message held off (SHARE ROW EXCLUSIVE; readers go on) until the
 * month is gone: DROP TABLE fires no trigger.
 */
export async function dropMonthsBefore(
  db: Pick<EntityManager, 'query' | 'transaction'>,
  retentionMonths: number,
  now = new Date(),
): Promise<Date[]> {
  const keepFrom = addMonths(monthStart(now), -retentionMonths);
  const dropped: Date[] = [];
  for (const month of await partitionMonths(db)) {
    if (month >= keepFrom) continue;
    await db.transaction(async (tx) => {
      await tx.query('LOCK TABLE marketing_message IN SHARE ROW EXCLUSIVE MODE');
      await subtractMonth(tx, partitionName('marketing_message', month), addMonths(month, 1));
      for (const table of PARTITIONED) {
        await tx.query(`DROP TABLE IF EXISTS ${partitionName(table, month)}`);
      }
    });
    dropped.push(month);
  }
  return dropped;
}
