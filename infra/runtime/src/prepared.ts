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
  query(config: { name?: string; text: string; values: unknown[] }): Promise<PgResult>;
}

/** The statement's name: its text's hash, so one text is one prepared statement. */
export function preparedName(text: string): string {
  return `cg_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
}

/**
 * Distinct texts a process prepares, at most. A statement's text varies with what a
 * request asks (the columns of the fields selected, a filter's shape, a cursor), and
 * every connection keeps each text it prepared for its life; past this, texts run
 * unnamed (planned each time), so no caller can fill the connections' memory.
 */
export const MAX_PREPARED_TEXTS = 1_000;

/** Each prepared text's name (its hash computed once, not on every run). */
const names = new Map<string, string>();

function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_PREPARED_TEXTS) {
    name = preparedName(text);
    names.set(text, name);
  }
  return name;
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
 * connection), unnamed past MAX_PREPARED_TEXTS; answers the rows, and for an
 * UPDATE/DELETE … RETURNING the rows too.
 */
export async function queryPrepared<T>(
  db: DataSource | EntityManager,
  text: string,
  params: readonly unknown[],
): Promise<{ rows: T[]; count: number }> {
  const connection = await connectionOf(db);
  const name = nameOf(text);
  const values = params as unknown[];
  const result = await connection.query(name ? { name, text, values } : { text, values });
  return { rows: result.rows as T[], count: result.rowCount ?? 0 };
}
