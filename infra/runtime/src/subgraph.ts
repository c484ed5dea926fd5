// Everything a subgraph process does besides its own schema and resolvers: open its
// database (refusing one with pending migrations: migrate.ts), verify the gateway-signed identity on every request, build
// per-request loaders, serve /graphql, /health and /ready, and stop gracefully.
//
// HTTP is served as soon as the database is migrated; the consumer group is joined in
// the background. After a kill -9 the broker holds a new member's join until the
// dead member's session expires (seconds), and reads and webhooks (which only write
// to the outbox) need nothing from the consumer. So /ready is 200 once the database
// is reachable and migrated, and reports `consumer: 'joining' | 'ok' | 'off'` beside.
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { GraphQLScalarType, Kind, parse } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { scalarResolvers } from './scalars';
import type { DataSource } from 'typeorm';
import { createDataSource, databaseReadiness, openPool } from './database';
import { PendingMigrationsError, assertMigrated, subgraphDatabaseOptions } from './migrate';
import type { SubgraphConfig } from './config';
import { loadSubgraphConfig } from './config';
import { createHttpHandler, headerReader, HttpError, listen, sendJson } from './http';
import type { RouteHandler } from './http';
import { verifyIdentity } from './identity';
import { defaultAuditSink, useAuditSink } from './audit';
import { currentRequest } from './request-id';
import type { ServiceContext, SubgraphModule } from './subgraph.types';
import { createRequestAccess } from './access';
import { unguardedFields } from './access-guard';
import type { Logger } from './logger';
import { createLogger } from './logger';
import { readRepoFile } from './files';
import { createWorkspaceProvisioner } from './workspace';
import { createEventConsumer } from './events/consumer';
import type { ConsumerState } from './events/consumer';
import { createKafka } from './events/kafka';
import { createEventMetrics } from './events/metrics';
import { createSubgraphMetrics } from './metrics';
import { startOutboxRelay } from './events/relay';
import { startEventsTrace } from './events/trace';
import { publicErrorFormatter } from './public-errors';
import { createSecretBox } from './secret-box';

/** Connections for analysts' requests (their statements may run longer). */
const ANALYST_POOL_SIZE = 3;

export interface RunningSubgraph {
  url: string;
  port: number;
  db: DataSource;
  stop(): Promise<void>;
}

/** The subgraph's executable schema: its SDL, its resolvers and the shared scalars it declares. */
export function buildSchema<L>(module: SubgraphModule<L>): GraphQLSchema {
  const typeDefs = parse(readRepoFile(`schema/${module.name}.graphql`));
  const declared = new Set(
    typeDefs.definitions.flatMap((d) =>
      d.kind === Kind.SCALAR_TYPE_DEFINITION ? [d.name.value] : [],
    ),
  );
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const merged: GraphQLResolverMap<any> = {};
  for (const [name, scalar] of Object.entries(scalarResolvers)) {
    if (declared.has(name)) merged[name] = scalar;
  }
  for (const map of module.resolvers) {
    for (const [type, fields] of Object.entries(map)) {
      merged[type] =
        fields instanceof GraphQLScalarType
          ? fields
          : ({ ...(merged[type] as object), ...(fields as object) } as typeof fields);
    }
  }
  const unguarded = unguardedFields(typeDefs, merged);
  if (unguarded.length > 0) {
    throw new Error(
      `${module.name}: these fields escape the access policy (give each an access rule in its module, docs/adding-a-tab.md): ${unguarded.join(', ')}`,
    );
  }
  return buildSubgraphSchema({ typeDefs, resolvers: merged });
}

export async function startSubgraph<L>(
  module: SubgraphModule<L>,
  config: SubgraphConfig,
  logger: Logger = createLogger(config.logLevel, undefined, config.logFormat),
): Promise<RunningSubgraph> {
  const databaseOptions = subgraphDatabaseOptions(module, config.databaseUrl);
  const db = await openPool({
    ...databaseOptions,
    statementTimeoutMs: config.statementTimeoutMs.screens,
  });
  try {
    await assertMigrated(module.name, db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  // Analysts' ad-hoc reads get a longer statement timeout, on a small pool of their
  // own, so a heavy report never takes the connections the screens need.
  const analystDb = createDataSource({
    ...databaseOptions,
    applicationName: `customer-graph-${module.name}-analysts`,
    poolSize: ANALYST_POOL_SIZE,
    statementTimeoutMs: config.statementTimeoutMs.analysts,
  });
  await analystDb.initialize();
  const auditSink = module.auditSink ?? defaultAuditSink(module.name);
  if (auditSink) {
    useAuditSink(db, auditSink);
    useAuditSink(analystDb, auditSink);
  }
  const secrets = createSecretBox(config.dataEncryptionKey);
  const resources = {
    db,
    logger,
    secrets,
    publicWebhookBaseUrl: config.publicWebhookBaseUrl,
    loyaltySweepIntervalMs: config.loyaltySweepIntervalMs,
    marketingRetentionMonths: config.marketingRetentionMonths,
    auditRetentionDays: config.auditRetentionDays,
    marketingSending: config.marketingSending,
    emailWebhookSecret: config.emailWebhookSecret,
    smsWebhookSecret: config.smsWebhookSecret,
    verifyCaller: (req: IncomingMessage) => {
      const verified = verifyIdentity(headerReader(req), config.contextSigningSecret, module.name);
      if (!verified.ok) {
        throw new HttpError(401, `unauthenticated: ${verified.reason}`, 'UNAUTHENTICATED');
      }
      return verified.identity;
    },
  };
  const events = startEvents(module, config, db, logger);
  const workers = module.startWorkers?.(resources);
  const provisioner = createWorkspaceProvisioner(db);
  if (config.demoWorkspaceId && module.seedDemo) {
    await provisioner.ensure(config.demoWorkspaceId);
    await module.seedDemo(db, config.demoWorkspaceId);
  }

  const metrics = createSubgraphMetrics(module.name, {
    pools: { screens: db, analysts: analystDb },
    events: () => events.metrics.read(),
  });
  const formatError = publicErrorFormatter(config.exposeErrorDetails, logger, module.name);
  const apollo = new ApolloServer<ServiceContext<L>>({
    schema: buildSchema(module),
    // No cache hints are used anywhere (answers are per identity): Apollo's cache-control
    // plugin would otherwise wrap every field's resolver to collect them (bench:page).
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      metrics.plugin,
    ],
    includeStacktraceInErrorResponses: config.exposeErrorDetails,
    // The process entry point owns SIGTERM/SIGINT: it stops the HTTP server, Apollo
    // and the pools in order, then exits. Apollo's own handler would re-raise the signal.
    stopOnTerminationSignals: false,
    // Apollo's "did you mean …" suggestions name types and fields; not in production.
    hideSchemaDetailsFromClientErrors: !config.exposeErrorDetails,
    formatError: (formatted, error) => {
      const answered = formatError(formatted, error);
      metrics.countError(answered.extensions?.code);
      return answered;
    },
  });
  await apollo.start();

  const routes: Record<string, RouteHandler> = {
    'GET /health': (_req, res) => sendJson(res, 200, { status: 'ok', service: module.name }),
    // Prometheus's text format (metrics.ts); the events' figures as JSON when asked
    // for JSON (scripts, tests).
    'GET /metrics': async (req, res) => {
      if (req.headers.accept?.includes('application/json')) {
        sendJson(res, 200, { service: module.name, events: await events.metrics.read() });
        return;
      }
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(text);
    },
    'GET /ready': async (_req, res) => {
      const { ready, checks } = await databaseReadiness(db);
      // The consumer is reported, not required: see the top of this file.
      sendJson(res, ready ? 200 : 503, {
        service: module.name,
        ready,
        checks: { ...checks, consumer: events.consumer(), relay: events.relay },
      });
    },
    ...module.routes?.(resources),
  };

  const handler = createHttpHandler<ServiceContext<L>>({
    apollo,
    logger,
    routes,
    context: async (headers) => {
      const verified = verifyIdentity(headers, config.contextSigningSecret, module.name);
      if (!verified.ok) {
        // Every GraphQL request, `_entities` and `_service` included, must come
        // through the gateway; nothing is answered to an unsigned caller.
        throw new HttpError(401, `unauthenticated: ${verified.reason}`, 'UNAUTHENTICATED');
      }
      // The request id the gateway signed; a context without one (a test's) gets its
      // own, never the unsigned header's. The logger names it from here on.
      const identity = { ...verified.identity };
      identity.requestId ??= randomUUID();
      const scope = currentRequest();
      if (scope) scope.requestId = identity.requestId;
      await provisioner.ensure(identity.workspaceId);
      const requestDb = identity.role === 'analyst' ? analystDb : db;
      const access = createRequestAccess(identity, requestDb, module.assignedCustomers);
      return {
        identity,
        access,
        workspaceId: identity.workspaceId,
        db: requestDb,
        logger,
        secrets,
        loaders: module.createLoaders(requestDb, identity.workspaceId, identity, access),
      };
    },
  });
  const http = await listen(handler, config.port, config.host);
  const url = `http://${config.host}:${http.port}/graphql`;
  logger.info('subgraph ready', { service: module.name, url });

  let stopping: Promise<void> | undefined;
  return {
    url,
    port: http.port,
    db,
    stop: () =>
      (stopping ??= (async () => {
        await http.close();
        await apollo.stop();
        await workers?.stop();
        await events.stop();
        await analystDb.destroy();
        await db.destroy();
        logger.info('subgraph stopped', { service: module.name });
      })()),
  };
}

/**
 * The outbox relay, the consumer group and their metrics, when a broker is configured.
 * Nothing here waits for the broker: the consumer joins its group in the background.
 */
function startEvents<L>(
  module: SubgraphModule<L>,
  config: SubgraphConfig,
  db: DataSource,
  logger: Logger,
): {
  metrics: ReturnType<typeof createEventMetrics>;
  consumer(): ConsumerState | 'off';
  relay: 'on' | 'off';
  stop(): Promise<void>;
} {
  if (!config.kafkaBrokers) {
    logger.warn('KAFKA_BROKERS not set: events wait in the outbox; nothing is consumed');
    const metrics = createEventMetrics(db);
    return { metrics, consumer: () => 'off', relay: 'off', stop: () => metrics.stop() };
  }
  const kafka = createKafka(config.kafkaBrokers, `customer-graph-${module.name}`, logger);
  const topicPrefix = config.kafkaTopicPrefix;
  const groupId = topicPrefix + module.name;
  startEventsTrace(config.eventsTraceFolder);
  const relay = startOutboxRelay({
    db,
    databaseUrl: config.databaseUrl,
    kafka,
    logger,
    topicPrefix,
  });
  const topics = Object.keys(module.consumes ?? {}).map((type) => topicPrefix + type);
  const consumer = module.consumes
    ? createEventConsumer({
        db,
        kafka,
        groupId,
        topicPrefix,
        handlers: module.consumes,
        logger,
        sessionTimeoutMs: config.kafkaSessionTimeoutMs,
      })
    : undefined;
  const metrics = createEventMetrics(db, kafka, { groupId, topics });
  return {
    metrics,
    consumer: () => consumer?.state() ?? 'off',
    relay: 'on',
    stop: async () => {
      // Also cancels a join still in progress.
      await consumer?.stop();
      await relay.stop();
      await metrics.stop();
    },
  };
}

/** Process entry point for a subgraph: config from env, signals, exit codes. */
export async function runSubgraph<L>(module: SubgraphModule<L>): Promise<void> {
  let config: SubgraphConfig;
  try {
    config = loadSubgraphConfig(module.name);
  } catch (error) {
    process.stderr.write(`${module.name}: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel, undefined, config.logFormat);
  let running: RunningSubgraph;
  try {
    running = await startSubgraph(module, config, logger);
  } catch (error) {
    if (error instanceof PendingMigrationsError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      logger.error('failed to start', { service: module.name, error });
    }
    process.exit(1);
  }
  const shutdown = (signal: string) => {
    logger.info('stopping', { signal });
    running.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error('stop failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
