// The one config module of a subgraph process: read process.env once, typed,
// defaulted for the embedded dev stack, validated at boot.
import {
  envPrefix,
  readBoolean,
  readInteger,
  readOneOf,
  readOptional,
  readPort,
  readSecret,
  readString,
} from './env';
import type { Env } from './env';
import { WORKSPACE_ID_PATTERN } from './identity';
import { ConfigError } from './env';
import { LOG_FORMATS } from './logger';
import type { LogFormat, LogLevel } from './logger';
import { parseDataKey } from './secret-box';
import { DEFAULT_PORTS, GATEWAY_DEFAULT_PORT } from './registry';

export interface SubgraphConfig {
  service: string;
  host: string;
  port: number;
  databaseUrl: string;
  contextSigningSecret: string;
  /** Seals third parties' secrets at rest (secret-box.ts): 32 bytes, base64. */
  dataEncryptionKey: Buffer;
  logLevel: LogLevel;
  /** LOG_FORMAT: `text` lines for a person, `json` lines for a log store (logger.ts). */
  logFormat: LogFormat;
  /** When set, the service seeds this demo workspace after migrating (idempotent). */
  demoWorkspaceId: string | undefined;
  /** Apollo masks internal error details unless this is on. */
  exposeErrorDetails: boolean;
  /** Kafka bootstrap servers; unset, events wait in the outbox (and nothing is consumed). */
  kafkaBrokers: string[] | undefined;
  /** Put before every topic and consumer group name; empty in production. */
  kafkaTopicPrefix: string;
  /**
   * How long the broker waits for a silent consumer before giving its partitions to
   * others (events/consumer.ts): after a kill -9 the restarted service consumes again
   * this long after the crash.
   */
  kafkaSessionTimeoutMs: number;
  /**
   * Postgres statement timeouts (ms): screens' roles, background work and events on
   * the main pool; analysts' ad-hoc reads on a small pool of their own with a longer one.
   */
  statementTimeoutMs: { screens: number; analysts: number };
  /**
   * Where senders reach our webhooks from outside (the gateway's public origin, with a
   * path prefix if a proxy adds one), without a trailing slash: a sender that signs the
   * URL it posts to (Shopee) is verified against `<this>/webhooks/<source>`.
   */
  publicWebhookBaseUrl: string;
  /** orders-loyalty: how often the loyalty sweep looks for points due to expire (ms). */
  loyaltySweepIntervalMs: number;
  /** marketing: whole months of messages kept before the current one; older are dropped. */
  marketingRetentionMonths: number;
  /** contacts: days an audit entry is kept (docs/audit.md); older ones are pruned. */
  auditRetentionDays: number;
  /** marketing: the sender's pace per channel and the sandbox provider (docs/marketing.md). */
  marketingSending: MarketingSendingConfig;
  /**
   * marketing: the secrets the email and SMS providers sign their delivery reports with
   * (POST /webhooks/email, /webhooks/sms); the sandbox provider signs its reports with
   * them. Unset: that source's reports are refused (401), and the sandbox posts none.
   */
  emailWebhookSecret?: string;
  smsWebhookSecret?: string;
  /**
   * CG_EVENTS_TRACE: a folder the relay and the consumer write each event's stages to
   * (events/trace.ts), for the events bench; unset (production, tests): no tracing.
   */
  eventsTraceFolder: string | undefined;
}

/** The channels marketing sends on (schema/marketing.graphql, MarketingChannel). */
export const MARKETING_CHANNELS = [
  'SMS',
  'EMAIL',
  'ZNS',
  'ZALO_OA',
  'ZALO_BULK',
  'FACEBOOK',
] as const;

export type MarketingChannelName = (typeof MARKETING_CHANNELS)[number];

export interface MarketingSendingConfig {
  /** Messages per second handed to each channel's provider; 0 pauses the channel. */
  sendRates: Record<MarketingChannelName, number>;
  /** The share of messages the sandbox provider fails (0–1), the same way every time. */
  sandboxFailureRate: number;
  /**
   * The Zalo OA the sandbox posts ZNS / OA delivery events for, signed as Zalo signs
   * them (followers' /webhooks/zalo); unset: no Zalo report is posted.
   */
  sandboxZalo: { appId: string; oaId: string; oaSecret: string } | undefined;
}

/** Default pace per channel (messages per second), below the providers' usual limits. */
export const DEFAULT_SEND_RATES: Readonly<Record<MarketingChannelName, number>> = {
  SMS: 50,
  EMAIL: 100,
  ZNS: 50,
  ZALO_OA: 20,
  ZALO_BULK: 20,
  FACEBOOK: 20,
};

export const DEFAULT_SANDBOX_FAILURE_RATE = 0.05;

export const DEFAULT_MARKETING_SENDING: MarketingSendingConfig = {
  sendRates: { ...DEFAULT_SEND_RATES },
  sandboxFailureRate: DEFAULT_SANDBOX_FAILURE_RATE,
  sandboxZalo: undefined,
};

/**
 * How long the broker waits for a silent member before it gives its partitions to
 * others: after a kill -9 the restarted service consumes again this long after the
 * crash. 6 s is the least Apache Kafka accepts by default
 * (`group.min.session.timeout.ms`); a heartbeat each second leaves room for five
 * missed ones. A chunk heartbeats when it is done, so one chunk (100 events in one
 * transaction) must take less than this.
 */
export const CONSUMER_SESSION_TIMEOUT_MS = 6000;
/** Messages of the last 24 months (and the current one) are kept by default. */
export const DEFAULT_MARKETING_RETENTION_MONTHS = 24;

/** Audit entries of the last 365 days are kept by default (AUDIT_RETENTION_DAYS). */
export const DEFAULT_AUDIT_RETENTION_DAYS = 365;

/** The loyalty sweep's default interval: hourly. */
export const DEFAULT_LOYALTY_SWEEP_INTERVAL_MS = 3_600_000;

/** Default statement timeouts: a screen answers in well under a second when healthy. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = { screens: 5_000, analysts: 30_000 };

/** The gateway of the embedded stack, as a sender on this machine reaches it. */
export const DEFAULT_PUBLIC_WEBHOOK_BASE_URL = `http://localhost:${GATEWAY_DEFAULT_PORT}`;

function readPublicWebhookBaseUrl(env: Env): string {
  const text = readString(env, 'PUBLIC_WEBHOOK_BASE_URL', DEFAULT_PUBLIC_WEBHOOK_BASE_URL);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`PUBLIC_WEBHOOK_BASE_URL must be an http(s) URL, got "${text}"`);
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash || url.username) {
    throw new ConfigError(
      `PUBLIC_WEBHOOK_BASE_URL must be an http(s) URL without query, fragment or credentials, got "${text}"`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

function readMarketingSending(env: Env): MarketingSendingConfig {
  const sendRates = Object.fromEntries(
    MARKETING_CHANNELS.map((channel) => [
      channel,
      readInteger(env, `MARKETING_SEND_RATE_${channel}`, DEFAULT_SEND_RATES[channel], 0),
    ]),
  ) as Record<MarketingChannelName, number>;
  const rateText = readString(env, 'SANDBOX_FAILURE_RATE', String(DEFAULT_SANDBOX_FAILURE_RATE));
  const sandboxFailureRate = Number(rateText);
  if (!/^\d*\.?\d+$/.test(rateText) || !(sandboxFailureRate >= 0 && sandboxFailureRate <= 1)) {
    throw new ConfigError(`SANDBOX_FAILURE_RATE must be a number from 0 to 1, got "${rateText}"`);
  }
  const appId = readOptional(env, 'SANDBOX_ZALO_APP_ID');
  const oaId = readOptional(env, 'SANDBOX_ZALO_OA_ID');
  const oaSecret = readOptional(env, 'SANDBOX_ZALO_OA_SECRET');
  const zalo = [appId, oaId, oaSecret].filter((v) => v !== undefined).length;
  if (zalo !== 0 && zalo !== 3) {
    throw new ConfigError(
      'SANDBOX_ZALO_APP_ID, SANDBOX_ZALO_OA_ID and SANDBOX_ZALO_OA_SECRET are set together or not at all',
    );
  }
  return {
    sendRates,
    sandboxFailureRate,
    sandboxZalo: appId && oaId && oaSecret ? { appId, oaId, oaSecret } : undefined,
  };
}

/** An optional signing secret: unset, or at least MIN_SECRET_BYTES. */
function readOptionalSecret(env: Env, name: string): string | undefined {
  return readOptional(env, name) === undefined ? undefined : readSecret(env, name);
}

function readDataKey(env: Env): Buffer {
  const text = readString(env, 'DATA_ENCRYPTION_KEY');
  try {
    return parseDataKey(text);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

export function loadSubgraphConfig(service: string, env: Env = process.env): SubgraphConfig {
  const prefix = envPrefix(service);
  const demoWorkspaceId = readOptional(env, 'DEMO_WORKSPACE_ID');
  if (demoWorkspaceId !== undefined && !WORKSPACE_ID_PATTERN.test(demoWorkspaceId)) {
    throw new ConfigError(`DEMO_WORKSPACE_ID "${demoWorkspaceId}" is not a valid workspace id`);
  }
  return {
    service,
    host: readString(env, 'HOST', '127.0.0.1'),
    port: readPort(env, `${prefix}_PORT`, DEFAULT_PORTS[service] ?? 0),
    databaseUrl: readString(env, `${prefix}_DATABASE_URL`),
    contextSigningSecret: readSecret(env, 'CONTEXT_SIGNING_SECRET'),
    dataEncryptionKey: readDataKey(env),
    logLevel: readOneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'], 'info'),
    logFormat: readOneOf(env, 'LOG_FORMAT', LOG_FORMATS, 'text'),
    demoWorkspaceId,
    exposeErrorDetails: readBoolean(env, 'EXPOSE_ERROR_DETAILS', env.NODE_ENV !== 'production'),
    kafkaBrokers: readOptional(env, 'KAFKA_BROKERS')
      ?.split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    kafkaTopicPrefix: readString(env, 'KAFKA_TOPIC_PREFIX', ''),
    kafkaSessionTimeoutMs: readInteger(
      env,
      'KAFKA_SESSION_TIMEOUT_MS',
      CONSUMER_SESSION_TIMEOUT_MS,
      CONSUMER_SESSION_TIMEOUT_MS,
    ),
    statementTimeoutMs: {
      screens: readInteger(env, 'STATEMENT_TIMEOUT_MS', DEFAULT_STATEMENT_TIMEOUT_MS.screens),
      analysts: readInteger(
        env,
        'ANALYST_STATEMENT_TIMEOUT_MS',
        DEFAULT_STATEMENT_TIMEOUT_MS.analysts,
      ),
    },
    publicWebhookBaseUrl: readPublicWebhookBaseUrl(env),
    loyaltySweepIntervalMs: readInteger(
      env,
      'LOYALTY_SWEEP_INTERVAL_MS',
      DEFAULT_LOYALTY_SWEEP_INTERVAL_MS,
      1_000,
    ),
    marketingRetentionMonths: readInteger(
      env,
      'MARKETING_RETENTION_MONTHS',
      DEFAULT_MARKETING_RETENTION_MONTHS,
      1,
    ),
    auditRetentionDays: readInteger(env, 'AUDIT_RETENTION_DAYS', DEFAULT_AUDIT_RETENTION_DAYS, 1),
    marketingSending: readMarketingSending(env),
    emailWebhookSecret: readOptionalSecret(env, 'EMAIL_WEBHOOK_SECRET'),
    smsWebhookSecret: readOptionalSecret(env, 'SMS_WEBHOOK_SECRET'),
    eventsTraceFolder: readOptional(env, 'CG_EVENTS_TRACE'),
  };
}

/**
 * A service's config as a test or a bench builds it: every setting at its default (read
 * by loadSubgraphConfig, so a new setting needs no change here), then `given`.
 */
export function subgraphConfigFor(
  service: string,
  given: Pick<SubgraphConfig, 'databaseUrl' | 'contextSigningSecret' | 'dataEncryptionKey'> &
    Partial<SubgraphConfig>,
): SubgraphConfig {
  const defaults = loadSubgraphConfig(service, {
    [`${envPrefix(service)}_DATABASE_URL`]: given.databaseUrl,
    CONTEXT_SIGNING_SECRET: given.contextSigningSecret,
    DATA_ENCRYPTION_KEY: given.dataEncryptionKey.toString('base64'),
  });
  return { ...defaults, port: 0, ...given };
}
