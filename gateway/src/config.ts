// The gateway's one config module: process.env read once, typed, defaulted for the
// embedded dev stack, validated at boot.
import {
  ConfigError,
  GATEWAY_DEFAULT_PORT,
  LOG_FORMATS,
  SUBGRAPHS,
  readBoolean,
  readInteger,
  readOneOf,
  readOptional,
  readPort,
  readSecret,
  readString,
  subgraphVariables,
} from '@customer-graph/runtime';
import type { Env, LogFormat, LogLevel } from '@customer-graph/runtime';
import type { TrustedOperationsConfig } from './trusted-operations';

/** What every token must satisfy besides its signature. */
export interface TokenRules {
  /** The longest a token may live: exp − iat (or exp − now without iat), in seconds. */
  maxLifetimeS: number;
  /** Clock skew tolerated on exp, nbf and an iat in the future, in seconds. */
  clockSkewS: number;
}

export type JwtConfig = TokenRules &
  (
    | { kind: 'secret'; secret: string; issuer?: string; audience?: string }
    | { kind: 'jwks'; jwksUrl: string; issuer: string; audience: string }
  );

/** Tokens live at most a day unless configured otherwise. */
export const DEFAULT_TOKEN_MAX_LIFETIME_S = 24 * 60 * 60;
export const TOKEN_CLOCK_SKEW_S = 60;

export interface GatewayConfig {
  host: string;
  port: number;
  /** Subgraph name → GraphQL URL. */
  subgraphUrls: Record<string, string>;
  jwt: JwtConfig;
  contextSigningSecret: string;
  supergraphPath: string;
  logLevel: LogLevel;
  exposeErrorDetails: boolean;
  /** Largest webhook body. */
  maxBodyBytes: number;
  /** Largest GraphQL request body (a 100,000-number phone list fits). */
  maxGraphqlBodyBytes: number;
  /**
   * How long the gateway waits for one subgraph call before answering its fields with
   * SUBGRAPH_TIMEOUT (ms): a little more than the subgraphs' statement timeouts.
   */
  subgraphTimeoutMs: { screens: number; analysts: number };
  /** Registered operations (trusted-operations.ts): the registry, and whether the frontend runs only those. */
  trustedOperations: TrustedOperationsConfig;
  /** GATEWAY_METRICS_PORT: Prometheus metrics on their own port (metrics.ts); unset, none. */
  metricsPort: number | null;
  /** LOG_FORMAT: `text` lines for a person, `json` lines for a log store. */
  logFormat: LogFormat;
}

export function loadGatewayConfig(env: Env = process.env): GatewayConfig {
  const subgraphUrls = Object.fromEntries(
    SUBGRAPHS.map(({ name, port }) => [
      name,
      readString(env, subgraphVariables(name).url, `http://127.0.0.1:${port}/graphql`),
    ]),
  );
  for (const [name, url] of Object.entries(subgraphUrls)) {
    if (!/^https?:\/\//.test(url)) {
      throw new ConfigError(`${subgraphVariables(name).url} must be an http(s) URL, got "${url}"`);
    }
  }
  const issuer = readOptional(env, 'JWT_ISSUER');
  const audience = readOptional(env, 'JWT_AUDIENCE');
  const jwksUrl = readOptional(env, 'JWT_JWKS_URL');
  const secret = readOptional(env, 'JWT_SECRET');
  if (!jwksUrl && !secret) {
    throw new ConfigError('set JWT_SECRET (HS256, development) or JWT_JWKS_URL (production)');
  }
  const rules: TokenRules = {
    maxLifetimeS: readInteger(env, 'JWT_MAX_LIFETIME_S', DEFAULT_TOKEN_MAX_LIFETIME_S),
    clockSkewS: TOKEN_CLOCK_SKEW_S,
  };
  let jwt: JwtConfig;
  if (jwksUrl) {
    // Keys from a JWKS are often shared by many applications of one identity
    // provider: only the issuer and audience say a token was minted for this API.
    if (!issuer || !audience) {
      throw new ConfigError('with JWT_JWKS_URL, set JWT_ISSUER and JWT_AUDIENCE too');
    }
    jwt = { kind: 'jwks', jwksUrl, issuer, audience, ...rules };
  } else {
    jwt = {
      kind: 'secret',
      secret: readSecret(env, 'JWT_SECRET'),
      issuer,
      audience,
      ...rules,
    };
  }
  return {
    host: readString(env, 'HOST', '127.0.0.1'),
    port: readPort(env, 'GATEWAY_PORT', GATEWAY_DEFAULT_PORT),
    subgraphUrls,
    jwt,
    contextSigningSecret: readSecret(env, 'CONTEXT_SIGNING_SECRET'),
    supergraphPath: readString(env, 'SUPERGRAPH_PATH', 'schema/supergraph.graphql'),
    logLevel: readOneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'], 'info'),
    logFormat: readOneOf(env, 'LOG_FORMAT', LOG_FORMATS, 'text'),
    exposeErrorDetails: readBoolean(env, 'EXPOSE_ERROR_DETAILS', env.NODE_ENV !== 'production'),
    maxBodyBytes: 1024 * 1024,
    maxGraphqlBodyBytes: 8 * 1024 * 1024,
    subgraphTimeoutMs: {
      screens: readInteger(env, 'SUBGRAPH_TIMEOUT_MS', 8_000),
      analysts: readInteger(env, 'ANALYST_SUBGRAPH_TIMEOUT_MS', 35_000),
    },
    trustedOperations: {
      enforce: readBoolean(env, 'TRUSTED_OPERATIONS', false),
      path: readString(env, 'TRUSTED_OPERATIONS_PATH', 'schema/operations'),
    },
    metricsPort: readOptional(env, 'GATEWAY_METRICS_PORT')
      ? readPort(env, 'GATEWAY_METRICS_PORT', 0)
      : null,
  };
}
