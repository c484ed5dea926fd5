import { randomBytes } from 'node:crypto';
import { loadSubgraphConfig } from './config';

const base = {
  CONTACTS_DATABASE_URL: 'postgres://localhost/cg_contacts',
  CONTEXT_SIGNING_SECRET: 'c'.repeat(32),
  DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};

describe('a subgraph’s config', () => {
  it('reads the data encryption key as 32 bytes', () => {
    const config = loadSubgraphConfig('contacts', base);
    expect(config.dataEncryptionKey).toEqual(Buffer.from(base.DATA_ENCRYPTION_KEY, 'base64'));
  });

  it('gives analysts a longer statement timeout than screens, each settable', () => {
    expect(loadSubgraphConfig('contacts', base).statementTimeoutMs).toEqual({
      screens: 5000,
      analysts: 30000,
    });
    const set = { ...base, STATEMENT_TIMEOUT_MS: '2000', ANALYST_STATEMENT_TIMEOUT_MS: '60000' };
    expect(loadSubgraphConfig('contacts', set).statementTimeoutMs).toEqual({
      screens: 2000,
      analysts: 60000,
    });
  });

  it('reads the marketing send rates (0 pauses a channel), the sandbox and the webhook secrets', () => {
    const defaults = loadSubgraphConfig('contacts', base);
    expect(defaults.marketingSending).toEqual({
      sendRates: { SMS: 50, EMAIL: 100, ZNS: 50, ZALO_OA: 20, ZALO_BULK: 20, FACEBOOK: 20 },
      sandboxFailureRate: 0.05,
      sandboxZalo: undefined,
    });
    expect(defaults.emailWebhookSecret).toBeUndefined();
    const set = {
      ...base,
      MARKETING_SEND_RATE_SMS: '0',
      SANDBOX_FAILURE_RATE: '0.5',
      SANDBOX_ZALO_APP_ID: 'a',
      SANDBOX_ZALO_OA_ID: 'o',
      SANDBOX_ZALO_OA_SECRET: 's',
      EMAIL_WEBHOOK_SECRET: 'e'.repeat(32),
    };
    const config = loadSubgraphConfig('contacts', set);
    expect(config.marketingSending).toMatchObject({
      sendRates: { SMS: 0, EMAIL: 100 },
      sandboxFailureRate: 0.5,
      sandboxZalo: { appId: 'a', oaId: 'o', oaSecret: 's' },
    });
    expect(config.emailWebhookSecret).toBe('e'.repeat(32));
    for (const bad of [
      { SANDBOX_FAILURE_RATE: '1.5' },
      { MARKETING_SEND_RATE_EMAIL: '-1' },
      { SANDBOX_ZALO_APP_ID: 'a' },
      { SMS_WEBHOOK_SECRET: 'short' },
    ]) {
      expect(() => loadSubgraphConfig('contacts', { ...base, ...bad })).toThrow(
        new RegExp(Object.keys(bad)[0]),
      );
    }
  });

  it('takes the public webhook base URL as given, without a trailing slash; the dev gateway by default', () => {
    expect(loadSubgraphConfig('contacts', base).publicWebhookBaseUrl).toBe('http://localhost:4000');
    const set = { ...base, PUBLIC_WEBHOOK_BASE_URL: 'https://api.example.vn/cg/' };
    expect(loadSubgraphConfig('contacts', set).publicWebhookBaseUrl).toBe(
      'https://api.example.vn/cg',
    );
  });

  it('reads the events trace folder from CG_EVENTS_TRACE; unset or empty, none', () => {
    expect(loadSubgraphConfig('contacts', base).eventsTraceFolder).toBeUndefined();
    const empty = { ...base, CG_EVENTS_TRACE: '' };
    expect(loadSubgraphConfig('contacts', empty).eventsTraceFolder).toBeUndefined();
    const set = { ...base, CG_EVENTS_TRACE: '/tmp/cg-events-trace-x' };
    expect(loadSubgraphConfig('contacts', set).eventsTraceFolder).toBe('/tmp/cg-events-trace-x');
  });

  it.each([
    [
      'a public webhook base URL that is not http(s)',
      { ...base, PUBLIC_WEBHOOK_BASE_URL: 'ftp://example.vn' },
      /PUBLIC_WEBHOOK_BASE_URL must be an http\(s\) URL/,
    ],
    [
      'a public webhook base URL with a query',
      { ...base, PUBLIC_WEBHOOK_BASE_URL: 'https://example.vn/?a=1' },
      /PUBLIC_WEBHOOK_BASE_URL must be an http\(s\) URL without query/,
    ],
    ['no data key', { ...base, DATA_ENCRYPTION_KEY: undefined }, /DATA_ENCRYPTION_KEY is required/],
    ['a short data key', { ...base, DATA_ENCRYPTION_KEY: 'c2hvcnQ=' }, /32 bytes/],
    ['no database', { ...base, CONTACTS_DATABASE_URL: undefined }, /CONTACTS_DATABASE_URL/],
    [
      'a 31-byte signing secret',
      { ...base, CONTEXT_SIGNING_SECRET: 'c'.repeat(31) },
      /CONTEXT_SIGNING_SECRET must be at least 32 bytes/,
    ],
    [
      'a statement timeout that is not a number',
      { ...base, STATEMENT_TIMEOUT_MS: '5s' },
      /STATEMENT_TIMEOUT_MS must be a whole number/,
    ],
  ])('fails fast with %s, naming the variable', (_label, env, message) => {
    expect(() => loadSubgraphConfig('contacts', env)).toThrow(message);
  });
});
