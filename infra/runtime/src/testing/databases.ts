// For integration tests: a fresh database on the run's real Postgres server (the
// jest global setup starts one and sets CG_TEST_POSTGRES_URL), so suites never share
// state.
import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrateSubgraph, subgraphDatabaseOptions } from '../migrate';
import type { SubgraphModule } from '../subgraph.types';

function adminUrl(): string {
  const url = process.env.CG_TEST_POSTGRES_URL;
  if (!url) throw new Error('CG_TEST_POSTGRES_URL is not set: the jest global setup did not run');
  return url;
}

function urlOf(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

const slug = (label: string) =>
  label
    .replace(/[^a-z0-9]/gi, '_')
    .toLowerCase()
    .slice(0, 40);

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database named after the suite (or a copy of `template`); its URL. */
export async function createTestDatabase(label: string, template?: string): Promise<string> {
  const name = `t_${slug(label)}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) =>
    client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`),
  );
  return urlOf(name);
}

/** This process's migrated templates by module (see createMigratedTestDatabase). */
const templates = new Map<SubgraphModule<unknown>, Promise<string>>();

/**
 * A database with `module`'s migrations applied, as `npm run migrate` leaves it: a copy
 * of a template database the run migrates once per subgraph, rather than migrating
 * every suite's database (0.1–0.7 s a suite, the whole of some suites' setup). The
 * server is the run's own, so a template never outlives the migrations it was made
 * with; jest's workers share it, and the first to need it makes it under an advisory
 * lock while the others wait.
 */
export async function createMigratedTestDatabase<L>(module: SubgraphModule<L>): Promise<string> {
  const key = module as SubgraphModule<unknown>;
  let template = templates.get(key);
  if (!template) {
    template = migratedTemplate(module);
    templates.set(key, template);
  }
  return createTestDatabase(module.name, await template);
}

async function migratedTemplate<L>(module: SubgraphModule<L>): Promise<string> {
  // Named by the subgraph and its migrations: a module of the same name with other
  // migrations (a test's own) gets a template of its own.
  const migrations = subgraphDatabaseOptions(module, '').migrations as { name: string }[];
  const digest = createHash('sha1')
    .update(migrations.map((m) => m.name).join(','))
    .digest('hex')
    .slice(0, 10);
  const name = `template_${slug(module.name)}_${digest}`;
  await withAdmin(async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    const made = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (made.rowCount === 0) {
      // Migrated under another name and renamed once done (and its connections closed):
      // a template is complete whenever it exists.
      const building = `${name}_${randomBytes(4).toString('hex')}`;
      await client.query(`CREATE DATABASE "${building}"`);
      await migrateSubgraph(module, urlOf(building));
      await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    }
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
  });
  return name;
}
