import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { KeyLike } from 'jose';
import { HttpError } from '@customer-graph/runtime';
import { createAuthenticator } from './auth';
import { signDevToken } from './token';

const secret = 'x'.repeat(40);
const rules = { maxLifetimeS: 24 * 3600, clockSkewS: 60 };
const nowS = () => Math.floor(Date.now() / 1000);
const hs256 = (claims: Record<string, unknown>) =>
  new SignJWT({ workspace_id: 'w', role: 'admin', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('u')
    .sign(new TextEncoder().encode(secret));

async function rejection(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe('HS256 tokens', () => {
  const authenticate = createAuthenticator({ kind: 'secret', secret, ...rules });

  it('reads the identity from a valid token', async () => {
    const token = await signDevToken(
      { workspaceId: 'shop-1', userId: 'u9', role: 'staff' },
      secret,
    );
    await expect(authenticate(`Bearer ${token}`)).resolves.toEqual({
      workspaceId: 'shop-1',
      userId: 'u9',
      role: 'staff',
    });
  });

  it.each([
    ['no header', undefined, /missing bearer token/],
    ['a non-bearer scheme', 'Basic abc', /missing bearer token/],
    ['garbage', 'Bearer abc.def.ghi', /invalid token/],
  ])('refuses %s with 401', async (_label, header, message) => {
    const error = await rejection(authenticate(header));
    expect(error.status).toBe(401);
    expect(error.message).toMatch(message);
  });

  it('refuses an expired token', async () => {
    const token = await signDevToken(
      { workspaceId: 'w', userId: 'u', role: 'admin' },
      secret,
      '-2m',
    );
    expect((await rejection(authenticate(`Bearer ${token}`))).message).toMatch(/"exp"/);
  });

  it.each([
    ['an unknown role', { workspace_id: 'w', role: 'owner' }, /role must be/],
    ['no workspace', { role: 'admin' }, /workspace_id/],
    ['a malformed workspace id', { workspace_id: '../etc', role: 'admin' }, /workspace_id/],
  ])('refuses a token with %s', async (_label, claims, message) => {
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(secret));
    expect((await rejection(authenticate(`Bearer ${token}`))).message).toMatch(message);
  });

  it('refuses a token without exp (it would be valid forever)', async () => {
    const token = await hs256({ iat: nowS() });
    expect((await rejection(authenticate(`Bearer ${token}`))).message).toMatch(/"exp"/);
  });

  it('refuses a token issued 10 years in the future', async () => {
    const tenYears = 10 * 365 * 24 * 3600;
    const token = await hs256({ iat: nowS() + tenYears, exp: nowS() + tenYears + 3600 });
    expect((await rejection(authenticate(`Bearer ${token}`))).message).toMatch(
      /"iat" is in the future/,
    );
  });

  it('accepts an iat within the clock skew', async () => {
    const token = await hs256({ iat: nowS() + 30, exp: nowS() + 3600 });
    await expect(authenticate(`Bearer ${token}`)).resolves.toMatchObject({ userId: 'u' });
  });

  it('accepts a token living exactly the maximum, refuses one living longer', async () => {
    const iat = nowS();
    const longest = await hs256({ iat, exp: iat + rules.maxLifetimeS });
    await expect(authenticate(`Bearer ${longest}`)).resolves.toMatchObject({ userId: 'u' });
    const tooLong = await hs256({ iat, exp: iat + rules.maxLifetimeS + 3600 });
    expect((await rejection(authenticate(`Bearer ${tooLong}`))).message).toMatch(
      /tokens may live at most 86400 s/,
    );
  });

  it('refuses a token without iat whose exp is further away than the maximum', async () => {
    const token = await hs256({ exp: nowS() + 10 * 365 * 24 * 3600 });
    expect((await rejection(authenticate(`Bearer ${token}`))).message).toMatch(/at most/);
  });

  it('refuses an unsigned (alg none) token', async () => {
    const header = Buffer.from('{"alg":"none"}').toString('base64url');
    const body = Buffer.from('{"sub":"u","workspace_id":"w","role":"admin"}').toString('base64url');
    expect((await rejection(authenticate(`Bearer ${header}.${body}.`))).status).toBe(401);
  });
});

describe('JWKS tokens (production)', () => {
  let server: http.Server;
  let jwksUrl: string;
  let privateKey: KeyLike;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const sign = (issuer: string) =>
    new SignJWT({ workspace_id: 'shop-2', role: 'analyst' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('ana')
      .setIssuer(issuer)
      .setAudience('customer-graph')
      .setExpirationTime('5m')
      .sign(privateKey);

  it('verifies against the key set and checks the issuer', async () => {
    const authenticate = createAuthenticator({
      kind: 'jwks',
      jwksUrl,
      issuer: 'https://id.example',
      audience: 'customer-graph',
      ...rules,
    });
    await expect(authenticate(`Bearer ${await sign('https://id.example')}`)).resolves.toEqual({
      workspaceId: 'shop-2',
      userId: 'ana',
      role: 'analyst',
    });
    expect(
      (await rejection(authenticate(`Bearer ${await sign('https://evil.example')}`))).status,
    ).toBe(401);
  });

  it('refuses an HS256 token signed with some secret', async () => {
    const authenticate = createAuthenticator({
      kind: 'jwks',
      jwksUrl,
      issuer: 'https://id.example',
      audience: 'customer-graph',
      ...rules,
    });
    const token = await signDevToken({ workspaceId: 'w', userId: 'u', role: 'admin' }, secret);
    expect((await rejection(authenticate(`Bearer ${token}`))).status).toBe(401);
  });
});
