// `npm run migrate [-- --only a,b]`: applies every subgraph's pending migrations, on
// the external databases given by `<NAME>_DATABASE_URL`, else on the embedded server
// (started for the purpose and stopped after).
import path from 'node:path';
import { ConfigError } from '@customer-graph/runtime';
import { loadDevConfig } from './config';
import { databaseUrls, migrateAll } from './migrate';
import { startEmbeddedPostgres } from './postgres';
import { prefixer } from './supervisor';

const say = prefixer(14, (line) => process.stdout.write(line + '\n'))('migrate');

async function main(): Promise<void> {
  const config = loadDevConfig(process.argv.slice(2));
  const needsEmbedded = config.only.some((n) => !config.externalDatabaseUrls[n]);
  const embedded = needsEmbedded
    ? await startEmbeddedPostgres({
        dataDir: path.join(config.dataDir, 'postgres'),
        port: config.postgresPort,
        persistent: true,
      })
    : undefined;
  try {
    await migrateAll(await databaseUrls(config, embedded), say);
    say(`${config.only.join(', ')}: up to date`);
  } finally {
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `migrate: ${error instanceof ConfigError ? error.message : ((error as Error).stack ?? error)}\n`,
  );
  process.exit(1);
});
