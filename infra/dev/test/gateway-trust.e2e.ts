// The gateway's trust edges, tried as an attacker would (issue 9): tokens that never
// end or start in the future, bodies sent before (or without) an identity, a subgraph
// that stalls, and what a production error may carry.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { DEMO_CUSTOMERS, createLogger } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { loadGatewayConfig, startGateway } from '@customer-graph/gateway';
import type { RunningGateway } from '@customer-graph/gateway';
import { freePort } from '../src/ports';
import { startTestStack } from './stack';
import type { TestStack } from './stack';

const ws = `ws-trust-${Date.now().toString(36)}`;
const admin: Identity = { workspaceId: ws, userId: 'alice', role: 'admin' };
const demo = DEMO_CUSTOMERS[0];
const PAGE = `
  query Page($id: ID!) {
    customer(id: $id) {
      id name
      orders(first: 2) { edges { node { code } } }
      marketing(first: 5) { edges { node { campaignName } } }
    }
  }`;

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack(ws);
  token = await stack.token(admin);
});
afterAll(() => stack.stop());

const nowS = () => Math.floor(Date.now() / 1000);
const sign = (claims: Record<string, unknown>) =>
  new SignJWT({ workspace_id: ws, role: 'admin', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('mallory')
    .sign(new TextEncoder().encode(stack.gatewayEnv.JWT_SECRET));

async function post(url: string, body: object, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/**
 * Announces a body of `declared` bytes, sends only its first KiB, and resolves with the
 * answer's status and its Connection header: an answer that comes at all was given
 * without reading the body (the rest of it is never sent).
 */
function answerBeforeBody(
  url: string,
  headers: Record<string, string>,
  declared = 8 * 1024 * 1024,
): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': declared, ...headers },
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
      req.destroy();
    });
    req.on('error', reject);
    req.write(Buffer.alloc(1024, ' '));
  });
}

describe('tokens', () => {
  it('refuses a token without exp, which would be valid forever', async () => {
    const res = await post(
      stack.gateway.url,
      { query: '{ customers(first: 1) { totalCount } }' },
      {
        authorization: `Bearer ${await sign({ iat: nowS() })}`,
      },
    );
    expect(res.status).toBe(401);
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(res.body.errors[0].message).toMatch(/"exp"/);
  });

  it('refuses a token issued 10 years in the future', async () => {
    const later = nowS() + 10 * 365 * 24 * 3600;
    const res = await post(
      stack.gateway.url,
      { query: '{ customers(first: 1) { totalCount } }' },
      {
        authorization: `Bearer ${await sign({ iat: later, exp: later + 3600 })}`,
      },
    );
    expect(res.status).toBe(401);
    expect(res.body.errors[0].message).toMatch(/"iat" is in the future/);
  });

  it('refuses a token that lives longer than a day', async () => {
    const res = await post(
      stack.gateway.url,
      { query: '{ customers(first: 1) { totalCount } }' },
      {
        authorization: `Bearer ${await sign({ iat: nowS(), exp: nowS() + 30 * 24 * 3600 })}`,
      },
    );
    expect(res.status).toBe(401);
  });
});

describe('bodies before identity', () => {
  it('answers 401 to an unauthenticated GraphQL request without reading its 8 MiB body', async () => {
    const answer = await answerBeforeBody(stack.gateway.url, {});
    expect(answer).toEqual({ status: 401, connection: 'close' });
  });

  it('answers 401 to a bad token without reading the body', async () => {
    const answer = await answerBeforeBody(stack.gateway.url, { authorization: 'Bearer x.y.z' });
    expect(answer.status).toBe(401);
  });

  it('answers an unknown path without reading its body', async () => {
    const url = new URL('/no/such/path', stack.gateway.url).toString();
    const answer = await answerBeforeBody(url, { authorization: `Bearer ${token}` });
    expect(answer).toEqual({ status: 404, connection: 'close' });
  });

  it('still reads the body of an authenticated request', async () => {
    const res = await post(
      stack.gateway.url,
      { query: '{ customers(first: 1) { totalCount } }' },
      {
        authorization: `Bearer ${token}`,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.data.customers.totalCount).toBeGreaterThan(0);
  });
});

describe('a subgraph that stalls, or fails, behind a production gateway', () => {
  let gateway: RunningGateway;
  let blackHole: net.Server;
  const sockets = new Set<net.Socket>();
  let failing: http.Server;

  beforeAll(async () => {
    // Marketing accepts the connection and never answers; followers answers every
    // call with a 401 whose body names internal things.
    blackHole = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    failing = http.createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"errors":[{"message":"bad context signature from 10.1.2.3:4002"}]}');
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    const port = (server: net.Server | http.Server) => (server.address() as AddressInfo).port;
    gateway = await startGateway(
      loadGatewayConfig({
        ...stack.gatewayEnv,
        NODE_ENV: 'production',
        SUBGRAPH_TIMEOUT_MS: '300',
        MARKETING_URL: `http://127.0.0.1:${port(blackHole)}/graphql`,
        FOLLOWERS_URL: `http://127.0.0.1:${port(failing)}/graphql`,
        ORDERS_LOYALTY_URL: `http://127.0.0.1:${await freePort()}/graphql`,
      }),
      createLogger('error'),
    );
  });
  afterAll(async () => {
    await gateway.stop();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackHole.close(resolve));
    await new Promise((resolve) => failing.close(resolve));
  });

  it('answers the page with the stalled tab null and SUBGRAPH_TIMEOUT', async () => {
    const res = await post(
      gateway.url,
      { query: PAGE, variables: { id: demo.id } },
      { authorization: `Bearer ${token}` },
    );
    expect(res.body.data.customer).toMatchObject({ id: demo.id, name: demo.name, marketing: null });
    const codes = res.body.errors.map((e: { extensions: object }) => e.extensions);
    expect(codes).toContainEqual({ code: 'SUBGRAPH_TIMEOUT', serviceName: 'marketing' });
  });

  it('names no internal host, port or subgraph body in production errors', async () => {
    const res = await post(
      gateway.url,
      {
        query: `query Page($id: ID!) { customer(id: $id) { id orders(first: 1) { edges { node { code } } } zaloFollower { zaloUserId } } }`,
        variables: { id: demo.id },
      },
      { authorization: `Bearer ${token}` },
    );
    expect(res.body.data.customer.id).toBe(demo.id);
    const text = JSON.stringify(res.body.errors);
    expect(text).not.toMatch(/127\.0\.0\.1|10\.1\.2\.3|ECONNREFUSED|signature|stacktrace/);
    const extensions = res.body.errors.map((e: { extensions: object }) => e.extensions);
    expect(extensions).toEqual(
      expect.arrayContaining([
        { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'orders-loyalty' },
        { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'followers' },
      ]),
    );
  });

  it('says which subgraph is not ready, but not where it is, in production', async () => {
    const res = await fetch(new URL('/ready', gateway.url));
    expect(res.status).toBe(503);
    const body = (await res.json()) as { checks: Record<string, string> };
    expect(body.checks['orders-loyalty']).toBe('unreachable');
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  });

  it('gives no "did you mean" schema hints in production', async () => {
    const res = await post(
      gateway.url,
      { query: '{ customerz(first: 1) { totalCount } }' },
      { authorization: `Bearer ${token}` },
    );
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors[0].message).not.toMatch(/Did you mean/);
  });
});
