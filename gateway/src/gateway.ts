// The one endpoint: @apollo/gateway on the committed supergraph, JWT in, signed
// identity out to the subgraphs; /health and /ready beside /graphql.
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import {
  createHttpHandler,
  createLogger,
  findRepoFile,
  listen,
  publicErrorFormatter,
  sendJson,
} from '@customer-graph/runtime';
import type { Logger } from '@customer-graph/runtime';
import { inputErrorAsBadUserInput } from './input-errors';
import { MAX_TOKENS, queryLimitsPlugin } from './query-limits';
import { trustedOperationsPlugin } from './trusted-operations';
import { createAuthenticator } from './auth';
import type { GatewayConfig } from './config';
import { createSubgraphSource } from './subgraph-source';
import { createGatewayMetrics, serveMetrics } from './metrics';
import { webhookForwarder } from './webhooks';
import { fileRoutes } from './files';
import type { GatewayContext } from './subgraph-source';

export interface RunningGateway {
  url: string;
  port: number;
  /** Where Prometheus scrapes the gateway (GATEWAY_METRICS_PORT), when set. */
  metricsUrl?: string;
  stop(): Promise<void>;
}

function readSupergraph(path: string): string {
  return readFileSync(path.startsWith('/') ? path : findRepoFile(path), 'utf8');
}

/**
 * Each subgraph's /ready, in parallel; the gateway is ready when all of them are. The
 * gateway's port is public: why a subgraph is unreachable (its address) is said only
 * when details are exposed (development).
 */
async function subgraphReadiness(urls: Record<string, string>, exposeDetails: boolean) {
  const checks = await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      try {
        const res = await fetch(new URL('/ready', url), { signal: AbortSignal.timeout(2000) });
        return [name, res.ok ? 'ok' : `not ready (${res.status})`] as const;
      } catch (error) {
        const reason = exposeDetails ? `: ${(error as Error).message}` : '';
        return [name, `unreachable${reason}`] as const;
      }
    }),
  );
  return { ready: checks.every(([, s]) => s === 'ok'), checks: Object.fromEntries(checks) };
}

export async function startGateway(
  config: GatewayConfig,
  logger: Logger = createLogger(config.logLevel, undefined, config.logFormat),
): Promise<RunningGateway> {
  // Only when someone can read them: the collectors and each request's timing cost CPU.
  const metrics = config.metricsPort === null ? undefined : createGatewayMetrics();
  const gateway = new ApolloGateway({
    supergraphSdl: readSupergraph(config.supergraphPath),
    buildService: ({ name, url }) =>
      createSubgraphSource({
        serviceName: name,
        url: config.subgraphUrls[name] ?? url ?? '',
        signingSecret: config.contextSigningSecret,
        timeoutMs: config.subgraphTimeoutMs,
        logger,
        metrics,
      }),
  });
  const formatPublic = publicErrorFormatter(config.exposeErrorDetails, logger, 'gateway');
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // Answers are per identity and never cached: no cache-control policy is computed.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      // Before the limits: a refused document is refused as untrusted, never measured.
      trustedOperationsPlugin(config.trustedOperations),
      queryLimitsPlugin,
      ...(metrics ? [metrics.plugin] : []),
    ],
    // A document past MAX_TOKENS is not even parsed.
    parseOptions: { maxTokens: MAX_TOKENS },
    includeStacktraceInErrorResponses: config.exposeErrorDetails,
    // Apollo's "did you mean …" suggestions name types and fields; not in production.
    hideSchemaDetailsFromClientErrors: !config.exposeErrorDetails,
    // The process entry point owns SIGTERM/SIGINT: it stops the HTTP server, Apollo
    // and the pools in order, then exits. Apollo's own handler would re-raise the signal.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => formatPublic(inputErrorAsBadUserInput(formatted), error),
  });
  await apollo.start();
  const authenticate = createAuthenticator(config.jwt);

  const handler = createHttpHandler<GatewayContext>({
    apollo,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    maxGraphqlBodyBytes: config.maxGraphqlBodyBytes,
    // The request id (runtime request-id.ts) goes into every subgraph call's signed context.
    context: async (headers, requestId) => ({
      identity: { ...(await authenticate(headers.get('authorization'))), requestId },
    }),
    routes: {
      'POST /webhooks/*': webhookForwarder(config.subgraphUrls, logger),
      ...fileRoutes({
        subgraphUrl: config.subgraphUrls.contacts,
        signingSecret: config.contextSigningSecret,
        authenticate,
        logger,
      }),
      'GET /health': (_req, res) => sendJson(res, 200, { status: 'ok', service: 'gateway' }),
      'GET /ready': async (_req, res) => {
        const readiness = await subgraphReadiness(config.subgraphUrls, config.exposeErrorDetails);
        sendJson(res, readiness.ready ? 200 : 503, { service: 'gateway', ...readiness });
      },
    },
  });
  // The metrics' port first: if it cannot be had, no public port is left listening.
  const metricsServer =
    metrics && config.metricsPort !== null
      ? await serveMetrics(metrics, config.metricsPort, config.host)
      : undefined;
  const http = await listen(handler, config.port, config.host).catch(async (error) => {
    await metricsServer?.close();
    throw error;
  });
  const url = `http://${config.host}:${http.port}/graphql`;
  logger.info('gateway ready', { url, metrics: metricsServer?.url });
  let stopping: Promise<void> | undefined;
  return {
    url,
    port: http.port,
    metricsUrl: metricsServer?.url,
    stop: () =>
      (stopping ??= (async () => {
        await http.close();
        await metricsServer?.close();
        await apollo.stop();
        logger.info('gateway stopped');
      })()),
  };
}
