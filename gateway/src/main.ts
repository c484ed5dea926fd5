import { ConfigError, createLogger } from '@customer-graph/runtime';
import { loadGatewayConfig } from './config';
import { startGateway } from './gateway';

async function main(): Promise<void> {
  let config;
  try {
    config = loadGatewayConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`gateway: ${error.message}\n`);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel, undefined, config.logFormat);
  const running = await startGateway(config, logger).catch((error: unknown) => {
    logger.error('failed to start', { error });
    process.exit(1);
  });
  const shutdown = (signal: string) => {
    logger.info('stopping', { signal });
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('stop failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
