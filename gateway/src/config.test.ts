import { ConfigError } from '@customer-graph/runtime';
import { loadGatewayConfig } from './config';

const base = { JWT_SECRET: 's'.repeat(32), CONTEXT_SIGNING_SECRET: 'c'.repeat(32) };
const jwks = {
  JWT_JWKS_URL: 'https://id.example/jwks',
  JWT_ISSUER: 'https://id.example/',
  JWT_AUDIENCE: 'customer-graph',
};

describe('gateway config', () => {
  it('defaults to the dev stack', () => {
    const config = loadGatewayConfig(base);
    expect(config.port).toBe(4000);
    expect(config.subgraphUrls).toEqual({
      contacts: 'http://127.0.0.1:4001/graphql',
      followers: 'http://127.0.0.1:4002/graphql',
      'orders-loyalty': 'http://127.0.0.1:4003/graphql',
      marketing: 'http://127.0.0.1:4004/graphql',
    });
    expect(config.jwt).toEqual({
      kind: 'secret',
      secret: base.JWT_SECRET,
      maxLifetimeS: 86400,
      clockSkewS: 60,
    });
    expect(config.subgraphTimeoutMs).toEqual({ screens: 8000, analysts: 35000 });
  });

  it('prefers a JWKS URL when given, with its issuer and audience', () => {
    const config = loadGatewayConfig({ ...base, ...jwks });
    expect(config.jwt).toMatchObject({ kind: 'jwks', issuer: jwks.JWT_ISSUER });
  });

  it.each([
    ['no JWT secret or JWKS', { CONTEXT_SIGNING_SECRET: 'c' }, /JWT_SECRET .* or JWT_JWKS_URL/],
    ['a short JWT secret', { ...base, JWT_SECRET: 'short' }, /at least 32/],
    ['a 31-byte JWT secret', { ...base, JWT_SECRET: 's'.repeat(31) }, /JWT_SECRET .*32 bytes/],
    [
      'a 31-byte signing secret',
      { ...base, CONTEXT_SIGNING_SECRET: 'c'.repeat(31) },
      /CONTEXT_SIGNING_SECRET must be at least 32 bytes/,
    ],
    [
      'a JWKS URL without issuer',
      { ...base, ...jwks, JWT_ISSUER: undefined },
      /JWT_ISSUER and JWT_AUDIENCE/,
    ],
    [
      'a JWKS URL without audience',
      { ...base, ...jwks, JWT_AUDIENCE: undefined },
      /JWT_ISSUER and JWT_AUDIENCE/,
    ],
    ['a bad token lifetime', { ...base, JWT_MAX_LIFETIME_S: '1d' }, /JWT_MAX_LIFETIME_S/],
    ['no signing secret', { JWT_SECRET: base.JWT_SECRET }, /CONTEXT_SIGNING_SECRET is required/],
    ['a bad port', { ...base, GATEWAY_PORT: 'eighty' }, /GATEWAY_PORT must be a port/],
    [
      'a bad subgraph URL',
      { ...base, ORDERS_LOYALTY_URL: 'orders:4003' },
      /ORDERS_LOYALTY_URL must be/,
    ],
  ])('fails fast on %s, naming the variable', (_label, env, message) => {
    expect(() => loadGatewayConfig(env)).toThrow(ConfigError);
    expect(() => loadGatewayConfig(env)).toThrow(message);
  });
});
