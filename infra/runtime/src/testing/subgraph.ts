// For integration tests: one subgraph on an ephemeral port and a fresh database,
// called the way the gateway calls it (signed identity headers).
import { randomBytes } from 'node:crypto';
import { createLogger } from '../logger';
import type { Logger } from '../logger';
import { signIdentity } from '../identity';
import type { Identity } from '../identity';
import { startSubgraph } from '../subgraph';
import { migrateSubgraph } from '../migrate';
import type { RunningSubgraph } from '../subgraph';
import type { SubgraphModule } from '../subgraph.types';
import { createMigratedTestDatabase } from './databases';
import { DEFAULT_MARKETING_SENDING, subgraphConfigFor } from '../config';
import type { MarketingSendingConfig, SubgraphConfig } from '../config';

export interface GraphQLBody {
  data?: Record<string, any> | null; // eslint-disable-line @typescript-eslint/no-explicit-any
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestSubgraph extends RunningSubgraph {
  /** Its database (a fresh one unless given). */
  databaseUrl: string;
  /** POSTs a query as the gateway would, for this identity. */
  signedFetch(identity: Identity, query: string, variables?: object): Promise<Response>;
  /** Same, returning the parsed body. */
  query(identity: Identity, query: string, variables?: object): Promise<GraphQLBody>;
}

export async function startTestSubgraph<L>(
  module: SubgraphModule<L>,
  options: {
    contextSigningSecret?: string;
    demoWorkspaceId?: string;
    kafkaBrokers?: string[];
    kafkaTopicPrefix?: string;
    /** An existing database (to restart a service on its data); a fresh one by default. */
    databaseUrl?: string;
    /** The key its secrets are sealed with (the same across a restart); random by default. */
    dataEncryptionKey?: Buffer;
    /** Statement timeouts; the production defaults unless given. */
    statementTimeoutMs?: SubgraphConfig['statementTimeoutMs'];
    /** Where senders reach webhooks (signed URLs); the dev stack's default unless given. */
    publicWebhookBaseUrl?: string;
    /** Where its log lines go; errors only, to stdout, unless given. */
    logger?: Logger;
    /** The loyalty sweep's interval; hourly unless given (tests sweep by hand). */
    loyaltySweepIntervalMs?: number;
    /** marketing's sender and sandbox; the defaults unless given (rate 0 pauses a channel). */
    marketingSending?: Partial<MarketingSendingConfig>;
    /** marketing: the delivery webhooks' secrets; unset, their reports are refused. */
    emailWebhookSecret?: string;
    smsWebhookSecret?: string;
  } = {},
): Promise<TestSubgraph> {
  const contextSigningSecret = options.contextSigningSecret ?? randomBytes(32).toString('hex');
  // Migrated, as `npm run migrate` leaves a database before services start: a copy of
  // the run's migrated template, or a given database brought up to date.
  let databaseUrl = options.databaseUrl;
  if (databaseUrl) await migrateSubgraph(module, databaseUrl);
  else databaseUrl = await createMigratedTestDatabase(module);
  const running = await startSubgraph(
    module,
    subgraphConfigFor(module.name, {
      databaseUrl,
      contextSigningSecret,
      dataEncryptionKey: options.dataEncryptionKey ?? randomBytes(32),
      logLevel: 'error',
      demoWorkspaceId: options.demoWorkspaceId,
      exposeErrorDetails: true,
      kafkaBrokers: options.kafkaBrokers,
      kafkaTopicPrefix: options.kafkaTopicPrefix ?? '',
      ...(options.statementTimeoutMs && { statementTimeoutMs: options.statementTimeoutMs }),
      ...(options.publicWebhookBaseUrl && { publicWebhookBaseUrl: options.publicWebhookBaseUrl }),
      ...(options.loyaltySweepIntervalMs && {
        loyaltySweepIntervalMs: options.loyaltySweepIntervalMs,
      }),
      ...(options.marketingSending && {
        marketingSending: { ...DEFAULT_MARKETING_SENDING, ...options.marketingSending },
      }),
      emailWebhookSecret: options.emailWebhookSecret,
      smsWebhookSecret: options.smsWebhookSecret,
    }),
    options.logger ?? createLogger('error'),
  );
  const signedFetch = (identity: Identity, query: string, variables?: object) =>
    fetch(running.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signIdentity(identity, contextSigningSecret, module.name),
      },
      body: JSON.stringify({ query, variables }),
    });
  return {
    ...running,
    databaseUrl,
    signedFetch,
    query: async (identity, query, variables) =>
      (await (await signedFetch(identity, query, variables)).json()) as GraphQLBody,
  };
}
