// The migrate step of the dev stack: every subgraph's migrations, on its own database
// (an external one when `<NAME>_DATABASE_URL` is set, else the embedded server's
// `cg_<name>`). `npm run migrate` runs it alone; `npm start` runs it before the
// services, which refuse a database with pending migrations.
import { migrateSubgraph, subgraphDatabase } from '@customer-graph/runtime';
import type { SubgraphName } from '@customer-graph/runtime';
import type { DevConfig } from './config';
import type { RunningPostgres } from './postgres';
import { loadSubgraph } from './subgraph-modules';

/** Each subgraph's database URL: external, or on the embedded server (created if missing). */
export async function databaseUrls(
  config: DevConfig,
  embedded: RunningPostgres | undefined,
): Promise<Record<SubgraphName, string>> {
  const urls: Partial<Record<SubgraphName, string>> = {};
  for (const name of config.only) {
    let url = config.externalDatabaseUrls[name];
    if (!url) {
      if (!embedded) throw new Error(`${name}: no database (the embedded server is not running)`);
      await embedded.ensureDatabase(subgraphDatabase(name));
      url = embedded.url(subgraphDatabase(name));
    }
    urls[name] = url;
  }
  return urls as Record<SubgraphName, string>;
}

export async function migrateAll(
  urls: Record<SubgraphName, string>,
  say: (line: string) => void,
): Promise<void> {
  for (const [name, url] of Object.entries(urls) as [SubgraphName, string][]) {
    let applied: string[];
    try {
      applied = await migrateSubgraph(await loadSubgraph(name), url);
    } catch (error) {
      throw new Error(`${name}: its migrations could not be applied: ${(error as Error).message}`);
    }
    if (applied.length > 0)
      say(`${name}: applied ${applied.length} migrations (${applied.join(', ')})`);
  }
}
