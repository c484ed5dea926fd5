// Where a benchmark's database time goes: pg_stat_statements of one database, reset
// before a phase and read after it, the costliest first.
import type { Client } from 'pg';

/** Starts counting afresh (creating the extension the first time). */
export async function resetStatements(db: Client): Promise<void> {
  await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await db.query('SELECT pg_stat_statements_reset()');
}

/** The database's costliest statements since the last reset. */
export async function topStatements(db: Client, limit = 10) {
  const { rows } = await db.query(
    `SELECT regexp_replace(left(s.query, 160), '\\s+', ' ', 'g') AS query, s.calls::int AS calls,
            round(s.total_exec_time)::int AS "totalMs",
            round(s.mean_exec_time::numeric, 2)::float AS "meanMs", s.rows::int AS rows
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
      WHERE d.datname = current_database()
      ORDER BY s.total_exec_time DESC LIMIT $1`,
    [limit],
  );
  return rows;
}
