// Statements prepared once per connection, for tables whose planning costs more than
// running them: a query on a table partitioned by month is planned over every month (27
// by default) each time it is sent unnamed — bench:marketing measured 3 ms of planning
// for 0.2 ms of execution on the Marketing tab's page. Named, node-postgres parses it
// once per connection and Postgres keeps its plan (after five runs, a generic plan that
// prunes months at run time), so later runs skip planning.
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

interface PgResult {
  rows: unknown[];
  rowCount: number | null;
}
interface PgQueryable {
  query(config: { name: string; text: string; values: unknown[] }): Promise<PgResult>;
}

/** The statement's name: its text's hash, so one text is one prepared statement. */
export function preparedName(text: string): string {
  return `cg_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
}

async function connectionOf(db: DataSource | EntityManager): Promise<PgQueryable> {
  const runner = (db as EntityManager).queryRunner;
  // Inside a transaction: its own connection.
  if (runner && !runner.isReleased) return (await runner.connect()) as PgQueryable;
  const source = 'driver' in db ? db : db.connection;
  return (source.driver as unknown as { master: PgQueryable }).master;
}

/**
 * Runs `text` as a named prepared statement on `db` (the pool, or the transaction's
 * connection); answers the rows, and for an UPDATE/DELETE … RETURNING the rows too.
 */
export async function queryPrepared<T>(
  db: DataSource | EntityManager,
  text: string,
  params: readonly unknown[],
): Promise<{ rows: T[]; count: number }> {
  const connection = await connectionOf(db);
  const result = await connection.query({
    name: preparedName(text),
    text,
    values: params as unknown[],
  });
  return { rows: result.rows as T[], count: result.rowCount ?? 0 };
}
