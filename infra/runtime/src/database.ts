// A subgraph's own Postgres database, through TypeORM. Schema changes happen only
// through timestamped migrations, applied as a step of their own (migrate.ts);
// `synchronize` is never on.
import { DataSource } from 'typeorm';
import type { EntitySchema, MixedList } from 'typeorm';

export interface DatabaseOptions {
  url: string;
  /** Shown in pg_stat_activity, so a DBA sees which service holds a connection. */
  applicationName: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<EntitySchema | Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  poolSize?: number;
  /**
   * Postgres cancels any statement on this pool running longer (ms): one request can
   * hold a connection and a core only this long. Unset: no limit.
   */
  statementTimeoutMs?: number;
}

export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    applicationName: options.applicationName,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    migrationsRun: false,
    poolSize: options.poolSize ?? 10,
    // Postgres bigint arrives as a string; money columns convert it explicitly.
    parseInt8: false,
    // pg sends them as startup parameters: every connection of the pool has them.
    // force_generic_plan: every statement with parameters is planned without their
    // values. For those prepared by name (prepared.ts: the page statements of the
    // month-partitioned messages, orders, loyalty, hot handlers) that is once per
    // connection, the months pruned at run time; left to itself, Postgres kept planning
    // every month of the Marketing tab's page (3.3 ms a time, for 0.4 ms of work). An
    // unnamed statement is planned each time all the same, without its values: so a
    // value that needs its own plan is written as a subquery or a literal (filter.fields.ts'
    // hashed tags; bench:analytics records the groupings' plans).
    extra: {
      options: '-c plan_cache_mode=force_generic_plan',
      ...(options.statementTimeoutMs === undefined
        ? {}
        : { statement_timeout: options.statementTimeoutMs }),
    },
  });
}

/**
 * Applies pending migrations, each in its own transaction, on a connection of its own
 * that has no statement timeout (building an index may take longer than a request
 * may). Returns the names of those applied.
 */
export async function migrateDatabase(options: DatabaseOptions): Promise<string[]> {
  const migrator = createDataSource({ ...options, poolSize: 1, statementTimeoutMs: undefined });
  await migrator.initialize();
  try {
    const applied = await migrator.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await migrator.destroy();
  }
}

/** Applies pending migrations, then opens the pool (for tests and tools, not services). */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  await migrateDatabase(options);
  return openPool(options);
}

/** Opens the pool, with its statement timeout; migrations are not its business. */
export async function openPool(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  return dataSource;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, string>;
}

/** Readiness: the database answers, and no migration is pending. */
export async function databaseReadiness(dataSource: DataSource): Promise<Readiness> {
  try {
    await dataSource.query('SELECT 1');
  } catch (error) {
    return { ready: false, checks: { database: `unreachable: ${(error as Error).message}` } };
  }
  const pending = await dataSource.showMigrations();
  return {
    ready: !pending,
    checks: { database: 'ok', migrations: pending ? 'pending' : 'applied' },
  };
}
