// What the gateway runs for each client, in trusted mode and out of it; the registry
// it reads. Through the real gateway: infra/dev/test/trusted-operations.e2e.ts.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HeaderMap } from '@apollo/server';
import { findRepoFile } from '@customer-graph/runtime';
import { loadGatewayConfig } from './config';
import { decide, readIncoming, readRegistry } from './trusted-operations';
import type { Decision } from './trusted-operations';

const dir = path.dirname(findRepoFile('schema/operations/frontend/customer-list.graphql'));
const operationsDir = path.dirname(dir);
const registry = readRegistry(operationsDir);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const manifest = (client: string) =>
  JSON.parse(
    readFileSync(path.join(operationsDir, client, 'persisted-query-manifest.json'), 'utf8'),
  ).operations as { id: string; name: string; body: string }[];
const op = (client: string, name: string) => manifest(client).find((o) => o.name === name)!;
const list = op('frontend', 'CustomerListPage');
const report = op('analyst', 'RecentOrders');
const unknown = 'ab'.repeat(32);
const adHoc = '{ customers(first: 1) { totalCount } }';

/** A decision as data: the code and hash of a refusal. */
function outcome(decision: Decision) {
  if (decision.kind !== 'refused') return decision;
  return { kind: 'refused', ...decision.error.extensions, http: undefined };
}

describe('readRegistry', () => {
  it('reads each client folder’s manifest', () => {
    expect([...registry.keys()]).toEqual(['analyst', 'frontend']);
    expect(registry.get('frontend')?.get(list.id)).toBe(list.body);
    expect(registry.get('frontend')?.size).toBe(3);
  });

  it('refuses a manifest whose body was edited by hand', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'trusted-'));
    try {
      cpSync(operationsDir, copy, { recursive: true });
      const file = path.join(copy, 'frontend/persisted-query-manifest.json');
      writeFileSync(file, readFileSync(file, 'utf8').replace('totalCount', 'totalCount\\n id'));
      expect(() => readRegistry(copy)).toThrow(/is not the sha256 of its body/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('decide, in trusted mode', () => {
  const frontend = (incoming: Parameters<typeof decide>[0]) =>
    outcome(decide(incoming, 'frontend', registry, true));

  it('runs the frontend’s registered operations by id, either convention, or as registered', () => {
    const registered = { kind: 'registered', body: list.body };
    expect(frontend({ hash: list.id, form: 'apq' })).toEqual(registered);
    expect(frontend({ hash: list.id, form: 'documentId' })).toEqual(registered);
    expect(frontend({ query: list.body })).toEqual(registered);
    expect(frontend({ query: list.body, hash: list.id, form: 'apq' })).toEqual(registered);
  });

  it('refuses an unknown id, naming it, and never asks Apollo’s APQ cache', () => {
    for (const form of ['apq', 'documentId'] as const) {
      expect(frontend({ hash: unknown, form })).toEqual({
        kind: 'refused',
        code: 'PERSISTED_QUERY_NOT_FOUND',
        hash: unknown,
      });
    }
    // An analyst report is not the frontend's.
    expect(frontend({ hash: report.id, form: 'apq' })).toMatchObject({
      code: 'PERSISTED_QUERY_NOT_FOUND',
    });
  });

  it('refuses a document that is not registered, naming its hash', () => {
    const notTrusted = (query: string) => ({
      kind: 'refused',
      code: 'OPERATION_NOT_TRUSTED',
      hash: sha256(query),
    });
    expect(frontend({ query: adHoc })).toEqual(notTrusted(adHoc));
    // Registered means the body as registered: a comment more is another document.
    expect(frontend({ query: `# mine\n${list.body}` })).toEqual(notTrusted(`# mine\n${list.body}`));
    // An APQ registration of an unregistered document.
    expect(frontend({ query: adHoc, hash: sha256(adHoc), form: 'apq' })).toEqual(notTrusted(adHoc));
  });

  it('lets analysts and platform send their own documents, and run their registered ones', () => {
    for (const client of ['analyst', 'platform']) {
      expect(decide({ query: adHoc }, client, registry, true)).toEqual({ kind: 'as-sent' });
      // An APQ hash of theirs is for Apollo's cache.
      expect(decide({ hash: unknown, form: 'apq' }, client, registry, true)).toEqual({
        kind: 'as-sent',
      });
    }
    expect(decide({ hash: report.id, form: 'documentId' }, 'analyst', registry, true)).toEqual({
      kind: 'registered',
      body: report.body,
    });
    expect(
      outcome(decide({ hash: unknown, form: 'documentId' }, 'analyst', registry, true)),
    ).toEqual({ kind: 'refused', code: 'PERSISTED_QUERY_NOT_FOUND', hash: unknown });
  });
});

describe('decide, out of trusted mode', () => {
  it('runs any document, and registered operations by id', () => {
    expect(decide({ query: adHoc }, 'frontend', registry, false)).toEqual({ kind: 'as-sent' });
    expect(decide({ hash: list.id, form: 'documentId' }, 'frontend', registry, false)).toEqual({
      kind: 'registered',
      body: list.body,
    });
    expect(decide({ hash: unknown, form: 'apq' }, 'frontend', registry, false)).toEqual({
      kind: 'as-sent',
    });
  });
});

describe('readIncoming', () => {
  const http = (method: string, body: unknown, search = '') => ({
    method,
    headers: new HeaderMap([['apollographql-client-name', 'analyst']]),
    search,
    body,
  });

  it('reads Apollo’s persistedQuery extension', () => {
    expect(
      readIncoming({
        extensions: { persistedQuery: { version: 1, sha256Hash: list.id.toUpperCase() } },
        http: http('POST', {}),
      }),
    ).toEqual({ query: undefined, hash: list.id, form: 'apq' });
  });

  it('reads a documentId from a POST body or a GET query string, with or without sha256:', () => {
    expect(readIncoming({ http: http('POST', { documentId: `sha256:${list.id}` }) })).toEqual({
      query: undefined,
      hash: list.id,
      form: 'documentId',
    });
    expect(readIncoming({ http: http('GET', undefined, `?documentId=${list.id}`) })).toMatchObject({
      hash: list.id,
      form: 'documentId',
    });
    expect(readIncoming({ http: http('POST', { documentId: 'nonsense' }) })).toMatchObject({
      hash: 'nonsense',
    });
  });
});

describe('the config', () => {
  const env = { JWT_SECRET: 's'.repeat(32), CONTEXT_SIGNING_SECRET: 'c'.repeat(32) };

  it('is off by default, on with TRUSTED_OPERATIONS=true, the registry at schema/operations', () => {
    expect(loadGatewayConfig(env).trustedOperations).toEqual({
      enforce: false,
      path: 'schema/operations',
    });
    expect(
      loadGatewayConfig({ ...env, TRUSTED_OPERATIONS: 'true', TRUSTED_OPERATIONS_PATH: '/ops' })
        .trustedOperations,
    ).toEqual({ enforce: true, path: '/ops' });
  });
});
