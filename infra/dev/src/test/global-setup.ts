// Jest global setup: one real embedded Postgres server and one kafka-lite broker for
// the whole run. Suites create their own databases on the server and their own topics
// and consumer groups on the broker (@customer-graph/runtime/testing), so they never
// share state.
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Broker } from '@customer-graph/kafka-lite';
import type * as KafkaLite from '@customer-graph/kafka-lite';
import { postgresUrl, startEmbeddedPostgres } from '../postgres';
import type { RunningPostgres } from '../postgres';
import { freePort } from '../ports';

/**
 * Jest runs the global setup outside the suites' module system, so Node would resolve
 * `@customer-graph/kafka-lite` to its dist/ build — absent on a fresh clone until
 * `npm run build`. The broker is loaded from its TypeScript source instead (what the
 * "source" export condition gives `npm start` and the suites); jest compiles it.
 */
function kafkaLite(): typeof KafkaLite {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.resolve(__dirname, '../../../kafka-lite/src/index.ts'));
}

declare global {
  var __CG_TEST_INFRA__: { postgres?: RunningPostgres; broker?: Broker; dir?: string } | undefined;
}

async function startPostgres(dir: string): Promise<RunningPostgres> {
  const lines: string[] = [];
  let lastError: unknown;
  // A free port can be taken between asking and binding; try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startEmbeddedPostgres({
        dataDir: path.join(dir, `data-${attempt}`),
        port: await freePort(),
        persistent: false,
        onLog: (line) => lines.push(line),
      });
    } catch (error) {
      lastError = error;
    }
  }
  process.stderr.write(lines.join('\n') + '\n');
  throw lastError;
}

export default async function globalSetup(): Promise<void> {
  const infra: NonNullable<typeof globalThis.__CG_TEST_INFRA__> = {};
  globalThis.__CG_TEST_INFRA__ = infra;
  if (process.env.CG_TEST_NO_PG !== '1') {
    infra.dir = mkdtempSync(path.join(os.tmpdir(), 'cg-test-pg-'));
    // Run as root, the server runs as a "postgres" user, which must reach the folder.
    chmodSync(infra.dir, 0o755);
    infra.postgres = await startPostgres(infra.dir);
    process.env.CG_TEST_POSTGRES_URL = postgresUrl(infra.postgres.port, 'postgres');
  }
  infra.broker = await kafkaLite().startBroker({ port: 0, inMemory: true });
  process.env.CG_TEST_KAFKA_BROKERS = infra.broker.address;
}
