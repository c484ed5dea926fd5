// SQL statements the subgraphs' databases ran, from pg_stat_statements (the bench
// stack's Postgres preloads it): reset, run something, count. Statements of the
// background work (outbox relays, consumers, job workers polling, the sender, the
// sweeps) are left out by their text — a list of today's, to be kept up to date.
import { Client } from 'pg';
import { postgresUrl } from '../../src/postgres';

const BACKGROUND = [
  'outbox',
  'event_',
  'consumer',
  'kafka',
  'pg_stat',
  'pg_catalog',
  'typeorm_migrations',
  'pg_try_advisory',
  'DISTINCT ON \\(workspace_id\\)',
  'FROM campaign WHERE channel',
  'webhook_seen',
  'idempotency_key',
].join('|');

export interface StatementCount {
  total: number;
  /** Calls by statement (its first 120 characters), most called first. */
  byQuery: { query: string; calls: number }[];
}

export async function countStatements(
  postgresPort: number,
  run: () => Promise<unknown>,
): Promise<StatementCount> {
  const db = new Client({ connectionString: postgresUrl(postgresPort, 'postgres') });
  await db.connect();
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await db.query('SELECT pg_stat_statements_reset()');
    await run();
    const { rows } = await db.query(
      `SELECT d.datname || ': ' || regexp_replace(left(s.query, 120), '\\s+', ' ', 'g') AS query,
              s.calls::int AS calls
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname LIKE 'cg\\_%' AND s.query !~* $1
          AND s.query !~* '^\\s*(BEGIN|START|COMMIT|ROLLBACK|SET|SHOW|SELECT 1)\\b'
        ORDER BY s.calls DESC`,
      [BACKGROUND],
    );
    const byQuery = rows as { query: string; calls: number }[];
    return { total: byQuery.reduce((sum, r) => sum + r.calls, 0), byQuery };
  } finally {
    await db.end();
  }
}
