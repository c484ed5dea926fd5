import { ConfigError } from '@customer-graph/runtime';
import { loadGatewayConfig } from './config';

const base = { JWT_SECRET: 's'.repeat(32), CONTEXT_SIGNING_SECRET: 'c'.repeat(32) };

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
    expect(config.jwt).toEqual({ kind: 'secret', secret: base.JWT_SECRET });
  });

  it('prefers a JWKS URL when given', () => {
    const config = loadGatewayConfig({ ...base, JWT_JWKS_URL: 'https://id.example/jwks' });
    expect(config.jwt.kind).toBe('jwks');
  });

  it.each([
    ['no JWT secret or JWKS', { CONTEXT_SIGNING_SECRET: 'c' }, /JWT_SECRET .* or JWT_JWKS_URL/],
    ['a short JWT secret', { ...base, JWT_SECRET: 'short' }, /at least 32/],
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
