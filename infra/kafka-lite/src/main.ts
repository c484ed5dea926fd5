// Standalone broker: `npm run kafka-lite -- --port 9092 --data-dir .data/kafka`.
// Prints its address as one line, stops cleanly (flushing) on SIGTERM/SIGINT.

import { parseArgs } from 'node:util';
import { startBroker } from './broker';
import type { Logger } from './core';

const USAGE = `usage: kafka-lite --port <port> --data-dir <dir> [--host <host>] [--advertised-host <host>]
  [--in-memory] [--no-auto-create] [--partitions <n>] [--max-frame-bytes <n>]
  [--retention-ms <ms>] [--retention-bytes <n>] [--quiet]`;

function intFlag(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer, got '${value}'`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      host: { type: 'string' },
      'advertised-host': { type: 'string' },
      'in-memory': { type: 'boolean' },
      'no-auto-create': { type: 'boolean' },
      partitions: { type: 'string' },
      'max-frame-bytes': { type: 'string' },
      'retention-ms': { type: 'string' },
      'retention-bytes': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = intFlag(values.port, 'port');
  if (port === undefined || (!values['data-dir'] && !values['in-memory'])) {
    throw new Error(`--port and --data-dir are required\n${USAGE}`);
  }
  const logger: Logger = {
    info: (m) => {
      if (!values.quiet) console.log(`[kafka-lite] ${m}`);
    },
    warn: (m) => console.warn(`[kafka-lite] ${m}`),
    error: (m) => console.error(`[kafka-lite] ${m}`),
  };
  const broker = await startBroker({
    port,
    dataDir: values['data-dir'],
    host: values.host,
    advertisedHost: values['advertised-host'],
    inMemory: values['in-memory'],
    autoCreateTopics: !values['no-auto-create'],
    defaultPartitions: intFlag(values.partitions, 'partitions'),
    maxFrameBytes: intFlag(values['max-frame-bytes'], 'max-frame-bytes'),
    retentionMs: intFlag(values['retention-ms'], 'retention-ms'),
    retentionBytes: intFlag(values['retention-bytes'], 'retention-bytes'),
    logger,
  });
  console.log(`kafka-lite listening on ${broker.address}`);
  const shutdown = (signal: string): void => {
    logger.info(`${signal}: stopping`);
    broker.stop().then(
      () => process.exit(0),
      (err: Error) => {
        console.error(`[kafka-lite] stop failed: ${err.stack ?? err.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: Error) => {
  console.error(err.message.startsWith('kafka-lite:') ? err.message : `kafka-lite: ${err.message}`);
  process.exit(1);
});
