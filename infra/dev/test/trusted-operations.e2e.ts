// Trusted operations through the real gateway (issue 17, part 2): a gateway with
// TRUSTED_OPERATIONS on, in production mode, beside the test stack's. The frontend
// (an admin token) runs the registered operations by hash and nothing else, whatever
// client name it claims; an analyst keeps ad-hoc queries within the analyst budget,
// whatever client name it claims.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLogger, repoRoot } from '@customer-graph/runtime';
import { loadGatewayConfig, startGateway } from '@customer-graph/gateway';
import type { RunningGateway } from '@customer-graph/gateway';
import { sha256Hex } from '../src/schema-check/operations';
import { startTestStack } from './stack';
import type { TestStack } from './stack';

const ws = `trusted-${randomBytes(3).toString('hex')}`;
let stack: TestStack;
let trusted: RunningGateway;
const tokens = {} as Record<'admin' | 'analyst', string>;

const registered = (client: string, name: string) => {
  const file = path.join(repoRoot(), 'schema/operations', client, 'persisted-query-manifest.json');
  const { operations } = JSON.parse(readFileSync(file, 'utf8')) as {
    operations: { id: string; name: string; body: string }[];
  };
  return operations.find((o) => o.name === name)!;
};
const list = registered('frontend', 'CustomerListPage');
const detail = registered('frontend', 'CustomerDetailPage');
const segment = registered('analyst', 'CustomerSegment');

async function post(
  url: string,
  role: 'admin' | 'analyst',
  body: object,
  headers: Record<string, string> = {},
) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${tokens[role]}`,
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}
const send = (role: 'admin' | 'analyst', body: object, headers?: Record<string, string>) =>
  post(trusted.url, role, body, headers);
const byHash = (id: string) => ({ persistedQuery: { version: 1, sha256Hash: id } });

beforeAll(async () => {
  stack = await startTestStack();
  for (const role of ['admin', 'analyst'] as const) {
    tokens[role] = await stack.token({ workspaceId: ws, userId: `${role}-1`, role });
  }
  trusted = await startGateway(
    loadGatewayConfig({ ...stack.gatewayEnv, NODE_ENV: 'production', TRUSTED_OPERATIONS: 'true' }),
    createLogger('error'),
  );
  const created = await stack.query(
    tokens.admin,
    'mutation { createCustomer(input: { name: "Lan", phone: "0912000017" }) { id } }',
  );
  if (created.body.errors) throw new Error(JSON.stringify(created.body.errors));
}, 60_000);

afterAll(async () => {
  await trusted?.stop();
  await stack?.stop();
});

describe('the frontend client, in trusted mode', () => {
  it('runs a registered operation by its APQ hash and by its documentId', async () => {
    const page = await send('admin', { extensions: byHash(list.id), variables: { first: 5 } });
    expect(page.status).toBe(200);
    expect(page.body.errors).toBeUndefined();
    expect(page.body.data.customers.totalCount).toBe(1);
    const [row] = page.body.data.customers.edges;
    expect(row.node.name).toBe('Lan');

    const one = await send('admin', {
      documentId: `sha256:${detail.id}`,
      variables: { id: row.node.id },
    });
    expect(one.body.errors).toBeUndefined();
    expect(one.body.data.customer).toMatchObject({ id: row.node.id, name: 'Lan' });
  });

  it('runs a registered document sent in full, as registered', async () => {
    const page = await send('admin', { query: list.body, variables: { first: 1 } });
    expect(page.body.errors).toBeUndefined();
    expect(page.body.data.customers.totalCount).toBe(1);
  });

  it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND naming it', async () => {
    const unknown = 'c0'.repeat(32);
    // With an operation name the stand-in document does not hold, too.
    for (const body of [
      { extensions: byHash(unknown), operationName: 'CustomerListPage' },
      { documentId: `sha256:${unknown}` },
    ]) {
      const res = await send('admin', body);
      expect(res.status).toBe(400);
      expect(res.body.data).toBeUndefined();
      expect(res.body.errors).toEqual([
        {
          message: `no operation registered for the frontend client has the hash ${unknown}`,
          extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', hash: unknown },
        },
      ]);
    }
  });

  it('refuses an ad-hoc document, a mutation included, even claiming to be the analyst client', async () => {
    const query = '{ customers(first: 250) { totalCount edges { node { id name phone } } } }';
    const res = await send('admin', { query }, { 'apollographql-client-name': 'analyst' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        message: expect.stringContaining('runs registered operations only'),
        extensions: { code: 'OPERATION_NOT_TRUSTED', hash: sha256Hex(query) },
      },
    ]);
    // An APQ registration of the same document is no way in either.
    const apq = await send('admin', { query, extensions: byHash(sha256Hex(query)) });
    expect(apq.body.errors[0].extensions.code).toBe('OPERATION_NOT_TRUSTED');

    const mutation = 'mutation { createCustomer(input: { name: "Mallory" }) { id } }';
    const write = await send('admin', { query: mutation });
    expect(write.body.errors[0].extensions).toEqual({
      code: 'OPERATION_NOT_TRUSTED',
      hash: sha256Hex(mutation),
    });
    const count = await stack.query(tokens.analyst, '{ customers { totalCount } }');
    expect(count.body.data?.customers).toEqual({ totalCount: 1 });
  });

  it('never runs a document another client left in Apollo’s APQ cache', async () => {
    const query = '{ customers(first: 3) { totalCount edges { node { phone } } } }';
    const hash = sha256Hex(query);
    const registering = await send('analyst', { query, extensions: byHash(hash) });
    expect(registering.body.errors).toBeUndefined();
    const res = await send('admin', { extensions: byHash(hash) });
    expect(res.body.errors[0].extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_FOUND', hash });
    // The analyst's own hash is answered from that cache.
    const again = await send('analyst', { extensions: byHash(hash) });
    expect(again.body.data.customers.totalCount).toBe(1);
  });

  it('does not hand the frontend an analyst report by hash', async () => {
    const res = await send('admin', { extensions: byHash(segment.id), variables: { filter: {} } });
    expect(res.body.errors[0].extensions).toEqual({
      code: 'PERSISTED_QUERY_NOT_FOUND',
      hash: segment.id,
    });
  });
});

describe('the analyst client, in trusted mode', () => {
  it('runs ad-hoc queries and its registered reports', async () => {
    const adHoc = await send('analyst', {
      query: '{ customers(filter: { name: { contains: "Lan" } }) { totalCount } }',
    });
    expect(adHoc.body).toEqual({ data: { customers: { totalCount: 1 } } });
    const report = await send('analyst', {
      documentId: `sha256:${segment.id}`,
      variables: { filter: {}, first: 10 },
    });
    expect(report.body.errors).toBeUndefined();
    expect(report.body.data.customers.totalCount).toBe(1);
  });

  it('stays within the analyst budget, even claiming to be the frontend client', async () => {
    // 250 customers × (100 orders + 100 messages) × a few fields each.
    const query = `{ customers(first: 250) { edges { node {
      orders(first: 100) { edges { node { code status total orderedAt } } }
      marketing(first: 100) { edges { node { channel status sentAt } } } } } } }`;
    const res = await send('analyst', { query }, { 'apollographql-client-name': 'frontend' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions).toMatchObject({
      code: 'QUERY_TOO_COSTLY',
      limit: 150_000,
    });
    expect(res.body.errors[0].extensions.actual).toBeGreaterThan(150_000);
  });
});

describe('out of trusted mode (the stack’s own gateway)', () => {
  it('runs ad-hoc documents and registered operations by hash alike', async () => {
    const byId = await post(stack.gateway.url, 'admin', {
      documentId: `sha256:${list.id}`,
      variables: { first: 1 },
    });
    expect(byId.body.data.customers.totalCount).toBe(1);
    const adHoc = await post(stack.gateway.url, 'admin', { query: '{ customers { totalCount } }' });
    expect(adHoc.body).toEqual({ data: { customers: { totalCount: 1 } } });
  });
});
