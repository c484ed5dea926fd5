// Jest global setup: one real embedded Postgres server for the whole run. Suites
// create their own databases on it (@customer-graph/runtime/testing), so they never
// share state.
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postgresUrl, startEmbeddedPostgres } from '../postgres';
import type { RunningPostgres } from '../postgres';
import { freePort } from '../ports';

declare global {
  var __CG_POSTGRES__: { server: RunningPostgres; dir: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.CG_TEST_NO_PG === '1') return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cg-test-pg-'));
  // Run as root, the server runs as a "postgres" user, which must reach the folder.
  chmodSync(dir, 0o755);
  const lines: string[] = [];
  let lastError: unknown;
  // A free port can be taken between asking and binding; try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      const server = await startEmbeddedPostgres({
        dataDir: path.join(dir, `data-${attempt}`),
        port,
        persistent: false,
        onLog: (line) => lines.push(line),
      });
      globalThis.__CG_POSTGRES__ = { server, dir };
      process.env.CG_TEST_POSTGRES_URL = postgresUrl(port, 'postgres');
      return;
    } catch (error) {
      lastError = error;
    }
  }
  process.stderr.write(lines.join('\n') + '\n');
  throw lastError;
}
