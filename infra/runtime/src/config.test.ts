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

  it('takes the public webhook base URL as given, without a trailing slash; the dev gateway by default', () => {
    expect(loadSubgraphConfig('contacts', base).publicWebhookBaseUrl).toBe('http://localhost:4000');
    const set = { ...base, PUBLIC_WEBHOOK_BASE_URL: 'https://api.example.vn/cg/' };
    expect(loadSubgraphConfig('contacts', set).publicWebhookBaseUrl).toBe(
      'https://api.example.vn/cg',
    );
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
