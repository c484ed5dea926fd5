// `npm start`: the whole customer graph on this machine — embedded Postgres, the four
// subgraphs and the gateway — with one log stream, a demo workspace and a token.
//
// Each subgraph's migrations are applied before it starts (the `npm run migrate` step).
// A crashed service, the gateway or kafka-lite is started again with a backoff (0.5 s
// doubling to 10 s, starting over once it has been up 30 s); after 5 quick crashes in
// a row the stack stops with the reason. Embedded Postgres is not restarted: it is
// this process's own child (postgres.ts), and a server that dies is
// rarely fixed by a restart loop (a full disk, a damaged data folder); the services
// stay up, their /ready says the database is unreachable, and a restart of
// `npm start` brings it back.
//
// `--only a[,b]` runs those subgraphs for real and, in place of each other one, a mock
// built from its committed SDL (src/mocks, docs/partner-teams.md), with the gateway in
// front composing the usual supergraph (`--no-gateway`: the named subgraphs alone).
import path from 'node:path';
import { ConfigError, envPrefix } from '@customer-graph/runtime';
import { signDevToken } from '@customer-graph/gateway';
import { loadDevConfig } from './config';
import { databaseUrls, migrateAll } from './migrate';
import type { DevConfig } from './config';
import { assertPortFree, waitForPort } from './ports';
import { startEmbeddedPostgres } from './postgres';
import type { RunningPostgres } from './postgres';
import { loadDevSecrets } from './secrets';
import { DEFAULT_RESTART_POLICY, createSupervisor, prefixer, waitUntilReady } from './supervisor';

const STOP_DEADLINE_MS = 6000;
const BROKER_STOP_DEADLINE_MS = 2000;
/**
 * V8's young generation (each of its two semi-spaces, MB). With an old-space ceiling
 * (SERVICE_HEAP_MB) V8 shrinks the young generation with it, and a request's short-lived
 * garbage was scavenged so often that collection took 14% of a subgraph's CPU under
 * bench:page. docker-compose's NODE_OPTIONS sets the same.
 */
const SEMI_SPACE_MB = 16;
/** The supervisor's name of the mock that stands for `name` (`--only`). */
const mockName = (name: string) => `${name}-mock`;
const say = prefixer(14, (line) => process.stdout.write(line + '\n'))('dev');

async function checkPorts(config: DevConfig, embedded: boolean): Promise<void> {
  const ports: [number, string][] = config.only.map((n) => [config.subgraphPorts[n], n]);
  for (const n of config.mocked) ports.push([config.subgraphPorts[n], `the mock of ${n}`]);
  if (config.withGateway) ports.push([config.gatewayPort, 'gateway']);
  if (embedded) ports.push([config.postgresPort, 'embedded Postgres']);
  if (!config.externalKafkaBrokers) ports.push([config.kafkaPort, 'kafka-lite']);
  for (const [port, what] of ports) await assertPortFree(port, what);
}

/** Set once the stack has started anything: stops it all, then exits with the code. */
let stopEverything: ((code: number) => Promise<void>) | undefined;

async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = loadDevConfig(process.argv.slice(2));
  const secrets = loadDevSecrets(config.dataDir)!;
  const jwtSecret = process.env.JWT_SECRET ?? secrets.jwtSecret;
  const contextSigningSecret = process.env.CONTEXT_SIGNING_SECRET ?? secrets.contextSigningSecret;
  const dataEncryptionKey = process.env.DATA_ENCRYPTION_KEY ?? secrets.dataEncryptionKey;
  const needsEmbedded = config.only.some((n) => !config.externalDatabaseUrls[n]);
  await checkPorts(config, needsEmbedded);

  const supervisor = createSupervisor(config.root);
  let postgres: Promise<RunningPostgres | undefined> = Promise.resolve(undefined);
  let shuttingDown = false;
  // Registered before anything starts, so a signal at any moment stops what did start:
  // the services first (they drain, flush their consumers and close their pools), then
  // the broker, Postgres last.
  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    say('stopping…');
    await supervisor.stop(STOP_DEADLINE_MS, [
      ...config.only,
      ...config.mocked.map(mockName),
      'gateway',
    ]);
    await supervisor.stop(BROKER_STOP_DEADLINE_MS);
    await (await postgres.catch(() => undefined))?.stop();
    say('stopped');
    process.exit(code);
  };
  stopEverything = shutdown;
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  // The terminal closed: stop, as Ctrl-C would.
  process.on('SIGHUP', () => void shutdown(0));
  // Whoever read the log may be gone (a closed pipe: a script that started the stack
  // and died). Writing to it then fails; that must not kill this process before it has
  // stopped its children, or Postgres and the broker are left running, holding their
  // ports. The log goes nowhere from then on; a signal still stops everything.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  void supervisor.crashed.then(({ name, code, signal, crashes }) => {
    const seconds = DEFAULT_RESTART_POLICY.resetAfterMs / 1000;
    say(
      `${name} crashed ${crashes} times in a row, each within ${seconds} s of starting ` +
        `(last: ${signal ?? `code ${code}`}); giving up and stopping the stack`,
    );
    void shutdown(1);
  });

  // `--only`: the subgraphs not run are mocks from their SDL, for the gateway to compose
  // the usual supergraph over (docs/partner-teams.md). They need no database or broker.
  if (config.mocked.length > 0) {
    say(
      `mocking ${config.mocked.join(', ')}: placeholder answers from schema/<name>.graphql ` +
        `(docs/partner-teams.md); running for real: ${config.only.join(', ')}`,
    );
  }

  let kafkaBrokers = config.externalKafkaBrokers;
  if (!kafkaBrokers) {
    say(
      `starting kafka-lite on port ${config.kafkaPort} (data in ${path.relative(config.root, config.dataDir)}/kafka)`,
    );
    supervisor.start({
      name: 'kafka',
      script: 'infra/kafka-lite/src/main.ts',
      args: [
        '--port',
        String(config.kafkaPort),
        '--data-dir',
        path.join(config.dataDir, 'kafka'),
        '--quiet',
      ],
      env: {},
      restart: DEFAULT_RESTART_POLICY,
    });
    kafkaBrokers = `127.0.0.1:${config.kafkaPort}`;
  }
  if (needsEmbedded) {
    say(
      `starting embedded Postgres on port ${config.postgresPort} (data in ${path.relative(config.root, config.dataDir)}/postgres)`,
    );
    const pgLog = prefixer(14, (line) => process.stdout.write(line + '\n'))('postgres');
    postgres = startEmbeddedPostgres({
      dataDir: path.join(config.dataDir, 'postgres'),
      port: config.postgresPort,
      persistent: true,
      sharedBuffersMb: config.postgresSharedBuffersMb,
      onNotice: say,
      onLog: (line) => {
        if (/ERROR|FATAL|PANIC/.test(line)) pgLog(line);
      },
    });
  }
  const embedded = await postgres;
  if (!config.externalKafkaBrokers) await waitForPort(config.kafkaPort, 'kafka-lite', 30_000);

  const common = {
    CONTEXT_SIGNING_SECRET: contextSigningSecret,
    DATA_ENCRYPTION_KEY: dataEncryptionKey,
    EMAIL_WEBHOOK_SECRET: process.env.EMAIL_WEBHOOK_SECRET ?? secrets.emailWebhookSecret,
    SMS_WEBHOOK_SECRET: process.env.SMS_WEBHOOK_SECRET ?? secrets.smsWebhookSecret,
    DEMO_WORKSPACE_ID: config.demoWorkspaceId,
    KAFKA_BROKERS: kafkaBrokers,
  };
  const readiness: Promise<void>[] = [];
  const nodeArgs = [
    `--max-old-space-size=${config.serviceHeapMb}`,
    `--max-semi-space-size=${SEMI_SPACE_MB}`,
    ...(config.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${config.cpuProfileDir}`] : []),
  ];
  // The migrate step first (`npm run migrate`): services refuse an unmigrated database.
  const urls = await databaseUrls(config, embedded);
  await migrateAll(urls, say);
  for (const name of config.mocked) {
    const port = config.subgraphPorts[name];
    supervisor.start({
      name: mockName(name),
      script: 'infra/dev/src/mocks/mock-subgraph.main.ts',
      args: [name],
      env: {
        CONTEXT_SIGNING_SECRET: contextSigningSecret,
        [`${envPrefix(name)}_PORT`]: String(port),
      },
      restart: DEFAULT_RESTART_POLICY,
    });
    readiness.push(waitUntilReady(mockName(name), `http://127.0.0.1:${port}/ready`, 60_000));
  }
  for (const name of config.only) {
    const prefix = envPrefix(name);
    const databaseUrl = urls[name];
    const port = config.subgraphPorts[name];
    supervisor.start({
      name,
      script: `services/${name}/src/main.ts`,
      nodeArgs,
      env: { ...common, [`${prefix}_DATABASE_URL`]: databaseUrl, [`${prefix}_PORT`]: String(port) },
      restart: DEFAULT_RESTART_POLICY,
    });
    readiness.push(waitUntilReady(name, `http://127.0.0.1:${port}/ready`, 60_000));
  }
  if (config.withGateway) {
    const urls = Object.fromEntries(
      Object.entries(config.subgraphPorts).map(([n, p]) => [
        `${envPrefix(n)}_URL`,
        process.env[`${envPrefix(n)}_URL`] ?? `http://127.0.0.1:${p}/graphql`,
      ]),
    );
    supervisor.start({
      name: 'gateway',
      script: 'gateway/src/main.ts',
      nodeArgs,
      env: { ...common, ...urls, JWT_SECRET: jwtSecret, GATEWAY_PORT: String(config.gatewayPort) },
      restart: DEFAULT_RESTART_POLICY,
    });
    readiness.push(
      waitUntilReady('gateway', `http://127.0.0.1:${config.gatewayPort}/health`, 60_000),
    );
  }
  await Promise.all(readiness);

  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  if (!config.withGateway) {
    say(`ready in ${seconds} s: ${config.only.join(', ')} (no gateway)`);
    return;
  }
  const token = await signDevToken(
    { workspaceId: config.demoWorkspaceId, userId: 'demo-admin', role: 'admin' },
    jwtSecret,
  );
  const endpoint = `http://localhost:${config.gatewayPort}/graphql`;
  const query =
    '{ customers(first: 3) { edges { node { id name phone orders(first: 2) { edges { node { code total } } } zaloFollower { displayName } } } } }';
  process.stdout.write(`
Customer Graph is up in ${seconds} s.

  GraphQL endpoint   ${endpoint}
  Demo workspace     ${config.demoWorkspaceId}
  Admin token        ${token}

  curl -s ${endpoint} \\
    -H 'content-type: application/json' \\
    -H 'authorization: Bearer ${token}' \\
    -d '${JSON.stringify({ query })}'

${config.mocked.length > 0 ? `  Mocked subgraphs   ${config.mocked.join(', ')} (placeholder answers: docs/partner-teams.md)\n\n` : ''}  Other tokens: npm run -s token -- --workspace <id> --role <admin|editor|staff|analyst>
  Ctrl-C stops everything.

`);
}

main().catch((error: unknown) => {
  say(error instanceof ConfigError || error instanceof Error ? error.message : String(error));
  // Whatever had started (the broker, Postgres) is stopped too, not left behind.
  if (stopEverything) void stopEverything(1);
  else process.exit(1);
});
