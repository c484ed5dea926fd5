// `node infra/dev/src/mocks/mock-subgraph.main.ts <subgraph>`: the mock of one subgraph
// that `npm start -- --only <other>` runs in its place (mock-subgraph.ts). Its port is
// the subgraph's own (<PREFIX>_PORT), so the gateway's usual URL reaches it; it needs
// CONTEXT_SIGNING_SECRET to check the gateway's signature, and nothing else.
import {
  ConfigError,
  DEFAULT_PORTS,
  SUBGRAPH_NAMES,
  createLogger,
  isSubgraphName,
  readPort,
  readSecret,
  subgraphVariables,
} from '@customer-graph/runtime';
import { startMockSubgraph } from './mock-subgraph';

async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  if (!isSubgraphName(name)) {
    throw new ConfigError(`mock: give one subgraph name from: ${SUBGRAPH_NAMES.join(', ')}`);
  }
  const logger = createLogger();
  const running = await startMockSubgraph({
    name,
    port: readPort(process.env, subgraphVariables(name).port, DEFAULT_PORTS[name]),
    contextSigningSecret: readSecret(process.env, 'CONTEXT_SIGNING_SECRET'),
    logger,
  });
  const stop = () => {
    void running.stop().then(() => {
      logger.info('mock subgraph stopped', { service: name });
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`mock: ${(error as Error).message}\n`);
  process.exit(1);
});
