// For end-to-end tests: the four subgraphs and the gateway in this process, each on
// its own ephemeral port, each subgraph on a fresh database of the run's real
// Postgres, with random secrets.
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createLogger, envPrefix } from '@customer-graph/runtime';
import type { Identity, Logger } from '@customer-graph/runtime';
import {
  startTestSubgraph,
  testKafkaBrokers,
  testTopicPrefix,
} from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { loadGatewayConfig, signDevToken, startGateway } from '@customer-graph/gateway';
import type { RunningGateway } from '@customer-graph/gateway';
import { freePort } from '../src/ports';
import { loadSubgraphs } from '../src/subgraph-modules';

const quiet = createLogger('error');

export interface TestStack {
  /** Put before every topic and consumer group name of this stack. */
  topicPrefix: string;
  subgraphs: Record<string, TestSubgraph>;
  gateway: RunningGateway;
  /** The gateway's environment (secrets, subgraph URLs), to start another one beside it. */
  gatewayEnv: Record<string, string>;
  db(name: string): DataSource;
  token(identity: Identity): Promise<string>;
  query(token: string, query: string, variables?: object): Promise<GraphQLResult>;
  stop(): Promise<void>;
}

export interface GraphQLResult {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
  };
}

export async function startTestStack(
  demoWorkspaceId?: string,
  options: {
    kafkaBrokers?: string[];
    /** Where senders reach the webhooks from outside; the stack's gateway by default. */
    publicWebhookBaseUrl?: string;
    /** Each process's logger (by subgraph name, or 'gateway'); errors only by default. */
    logger?: (service: string) => Logger;
  } = {},
): Promise<TestStack> {
  const contextSigningSecret = randomBytes(32).toString('hex');
  const jwtSecret = randomBytes(32).toString('hex');
  const subgraphs: Record<string, TestSubgraph> = {};
  // The stack's own topics and consumer groups on the run's broker.
  const kafkaTopicPrefix = testTopicPrefix('stack');
  // The gateway's port is chosen first: senders (marketing's sandbox provider) post to
  // its /webhooks/*, as they would from outside.
  const gatewayPort = await freePort();
  const webhookSecrets = {
    emailWebhookSecret: randomBytes(32).toString('hex'),
    smsWebhookSecret: randomBytes(32).toString('hex'),
  };
  // Every subgraph of the registry (runtime registry.ts).
  const modules = await loadSubgraphs();
  for (const name of Object.keys(modules)) {
    subgraphs[name] = await startTestSubgraph(modules[name], {
      contextSigningSecret,
      demoWorkspaceId,
      kafkaBrokers: options.kafkaBrokers ?? testKafkaBrokers(),
      kafkaTopicPrefix,
      publicWebhookBaseUrl: options.publicWebhookBaseUrl ?? `http://127.0.0.1:${gatewayPort}`,
      ...webhookSecrets,
      ...(options.logger && { logger: options.logger(name) }),
    });
  }
  const env: Record<string, string> = {
    GATEWAY_PORT: '0',
    JWT_SECRET: jwtSecret,
    CONTEXT_SIGNING_SECRET: contextSigningSecret,
    NODE_ENV: 'test',
  };
  for (const [name, s] of Object.entries(subgraphs)) env[`${envPrefix(name)}_URL`] = s.url;
  // This gateway on the chosen port; gatewayEnv starts another one on any port.
  const gateway = await startGateway(
    loadGatewayConfig({ ...env, GATEWAY_PORT: String(gatewayPort) }),
    options.logger?.('gateway') ?? quiet,
  );
  return {
    topicPrefix: kafkaTopicPrefix,
    subgraphs,
    gateway,
    gatewayEnv: env,
    db: (name) => subgraphs[name].db,
    token: (identity) => signDevToken(identity, jwtSecret),
    async query(token, query, variables) {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as GraphQLResult['body'] };
    },
    async stop() {
      await gateway.stop();
      await Promise.all(Object.values(subgraphs).map((s) => s.stop()));
    },
  };
}
