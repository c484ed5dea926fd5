// The gateway's one config module: process.env read once, typed, defaulted for the
// embedded dev stack, validated at boot.
import {
  ConfigError,
  DEFAULT_PORTS,
  envPrefix,
  readBoolean,
  readOneOf,
  readOptional,
  readPort,
  readString,
} from '@customer-graph/runtime';
import type { Env, LogLevel } from '@customer-graph/runtime';

export const SUBGRAPH_NAMES = ['contacts', 'followers', 'orders-loyalty', 'marketing'] as const;

export type JwtConfig =
  | { kind: 'secret'; secret: string; issuer?: string; audience?: string }
  | { kind: 'jwks'; jwksUrl: string; issuer?: string; audience?: string };

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
}

export function loadGatewayConfig(env: Env = process.env): GatewayConfig {
  const subgraphUrls = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [
      name,
      readString(env, `${envPrefix(name)}_URL`, `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`),
    ]),
  );
  for (const [name, url] of Object.entries(subgraphUrls)) {
    if (!/^https?:\/\//.test(url)) {
      throw new ConfigError(`${envPrefix(name)}_URL must be an http(s) URL, got "${url}"`);
    }
  }
  const issuer = readOptional(env, 'JWT_ISSUER');
  const audience = readOptional(env, 'JWT_AUDIENCE');
  const jwksUrl = readOptional(env, 'JWT_JWKS_URL');
  const secret = readOptional(env, 'JWT_SECRET');
  if (!jwksUrl && !secret) {
    throw new ConfigError('set JWT_SECRET (HS256, development) or JWT_JWKS_URL (production)');
  }
  if (secret && secret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters');
  }
  const jwt: JwtConfig = jwksUrl
    ? { kind: 'jwks', jwksUrl, issuer, audience }
    : { kind: 'secret', secret: secret as string, issuer, audience };
  return {
    host: readString(env, 'HOST', '127.0.0.1'),
    port: readPort(env, 'GATEWAY_PORT', DEFAULT_PORTS.gateway),
    subgraphUrls,
    jwt,
    contextSigningSecret: readString(env, 'CONTEXT_SIGNING_SECRET'),
    supergraphPath: readString(env, 'SUPERGRAPH_PATH', 'schema/supergraph.graphql'),
    logLevel: readOneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'], 'info'),
    exposeErrorDetails: readBoolean(env, 'EXPOSE_ERROR_DETAILS', env.NODE_ENV !== 'production'),
    maxBodyBytes: 1024 * 1024,
    maxGraphqlBodyBytes: 8 * 1024 * 1024,
  };
}
