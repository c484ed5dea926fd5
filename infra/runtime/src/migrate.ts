// Migrations are a step of their own, never a side effect of serving: `npm run migrate`
// (every subgraph; `npm start` runs it first) or, in production, each service's
// migrate entry run once per deploy (docker-compose's `<service>-migrate`). A service
// started on a database with pending migrations stops at once with a message naming
// the command, so several replicas never migrate one database at the same time.
import type { DataSource } from 'typeorm';
import type { DatabaseOptions } from './database';
import { migrateDatabase } from './database';
import { ConfigError, readString } from './env';
import { CreateEventTables1763900000050 } from './events/tables';
import { createLogger } from './logger';
import type { Logger } from './logger';
import { subgraphVariables } from './registry';
import type { SubgraphModule } from './subgraph.types';
import { CreateWorkspaceTable1763900000000, WorkspaceEntity } from './workspace';

/** What a subgraph's database holds: the runtime's tables, then the subgraph's own. */
export function subgraphDatabaseOptions<L>(
  module: SubgraphModule<L>,
  url: string,
): DatabaseOptions {
  return {
    url,
    applicationName: `customer-graph-${module.name}`,
    entities: [WorkspaceEntity, ...(module.entities as [])],
    // Every subgraph database has the workspace and event tables.
    migrations: [
      CreateWorkspaceTable1763900000000,
      CreateEventTables1763900000050,
      ...(module.migrations as []),
    ],
  };
}

/** Applies a subgraph's pending migrations; returns the names of those applied. */
export async function migrateSubgraph<L>(
  module: SubgraphModule<L>,
  url: string,
): Promise<string[]> {
  return migrateDatabase(subgraphDatabaseOptions(module, url));
}

export class PendingMigrationsError extends Error {
  override name = 'PendingMigrationsError';
  constructor(service: string) {
    super(
      `${service}: the database has migrations not applied yet; run \`npm run migrate\` ` +
        `(in a container: node services/${service}/dist/src/migrate.js) before starting the service`,
    );
  }
}

/** Refuses to serve a database that is behind the code. */
export async function assertMigrated(service: string, db: DataSource): Promise<void> {
  if (await db.showMigrations()) throw new PendingMigrationsError(service);
}

/** Process entry of a service's migrate step: `<NAME>_DATABASE_URL` is all it reads. */
export async function runMigrate<L>(module: SubgraphModule<L>): Promise<void> {
  const variable = subgraphVariables(module.name).database;
  let url: string;
  try {
    url = readString(process.env, variable);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${module.name} migrate: ${error.message}\n`);
    process.exit(2);
  }
  const logger: Logger = createLogger('info');
  try {
    const applied = await migrateSubgraph(module, url);
    logger.info('migrated', { service: module.name, applied: applied.length, names: applied });
  } catch (error) {
    logger.error('migration failed', { service: module.name, error });
    process.exit(1);
  }
}
