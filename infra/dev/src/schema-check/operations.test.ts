// The trusted operations' registry: every client folder's manifest is current, each
// entry is the operation as a client sends it with its SHA-256, and what a document
// relies on is read as schema coordinates.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, print } from 'graphql';
import { repoRoot } from '@customer-graph/runtime';
import { usedCoordinates } from './operation-usage';
import {
  manifestTexts,
  operationFile,
  readOperationFiles,
  registeredOperations,
  sha256Hex,
  staleManifests,
} from './operations';
import { apiSchemaOf } from './schema-diff';

const root = repoRoot();

describe('the committed manifests', () => {
  it('are current (else: npm run operations:manifest)', () => {
    expect(staleManifests(root)).toEqual([]);
  });

  it('register every client folder: the three frontend screens and the analyst reports', () => {
    const byClient = (client: string) =>
      registeredOperations(readOperationFiles(root))
        .filter((o) => o.client === client)
        .map((o) => o.name);
    expect(byClient('frontend')).toEqual([
      'CustomerDetailPage',
      'CustomerListPage',
      'FollowerListPage',
    ]);
    expect(byClient('analyst')).toEqual(
      expect.arrayContaining(['CustomerSegment', 'RecentOrders', 'CampaignResults']),
    );
  });

  it('hold, per operation, the printed document and the SHA-256 of its UTF-8 bytes', () => {
    const file = path.join(root, 'schema/operations/frontend/persisted-query-manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    expect(manifest).toMatchObject({ format: 'apollo-persisted-query-manifest', version: 1 });
    for (const op of manifest.operations) {
      expect(op.id).toBe(sha256Hex(op.body));
      expect(print(parse(op.body))).toBe(op.body);
    }
    const list = manifest.operations.find((o: { name: string }) => o.name === 'CustomerListPage');
    expect(list.type).toBe('query');
    expect(list.body).toMatch(/^query CustomerListPage\(\$first: Int = 20/);
  });

  it('find a stale manifest in a copy whose operation changed', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'operations-'));
    try {
      cpSync(path.join(root, 'schema'), path.join(copy, 'schema'), { recursive: true });
      const op = path.join(copy, 'schema/operations/analyst/recent-orders.graphql');
      writeFileSync(op, readFileSync(op, 'utf8').replace('        voucherCode\n', ''));
      expect(staleManifests(copy)).toEqual([
        'schema/operations/analyst/persisted-query-manifest.json',
      ]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('registeredOperations', () => {
  const file = (name: string, text: string) =>
    operationFile(`schema/operations/frontend/${name}`, text);

  it('registers each operation of a file with only the fragments it spreads', () => {
    const [a, b] = registeredOperations([
      file(
        'two.graphql',
        `# comments are not sent
        query A { customer(id: "1") { ...Row } }
        query B { customer(id: "2") { ...Tags } }
        fragment Row on Customer { id ...Tags }
        fragment Tags on Customer { tags }`,
      ),
    ]);
    expect(a.body).toBe(
      'query A {\n  customer(id: "1") {\n    ...Row\n  }\n}\n\n' +
        'fragment Row on Customer {\n  id\n  ...Tags\n}\n\n' +
        'fragment Tags on Customer {\n  tags\n}',
    );
    expect(b.body).toBe(
      'query B {\n  customer(id: "2") {\n    ...Tags\n  }\n}\n\nfragment Tags on Customer {\n  tags\n}',
    );
    expect(a.id).toBe(sha256Hex(a.body));
    expect(manifestTexts([a, b]).keys().next().value).toBe(
      'schema/operations/frontend/persisted-query-manifest.json',
    );
  });

  it.each([
    ['an anonymous operation', '{ workspacePlan { name } }', /needs a name/],
    ['a file without an operation', 'fragment F on Customer { id }', /holds no operation/],
    ['a missing fragment', 'query Q { customer(id: "1") { ...Nope } }', /fragment Nope/],
  ])('refuses %s', (_label, text, message) => {
    expect(() => registeredOperations([file('x.graphql', text)])).toThrow(message);
  });

  it('refuses one name twice for one client, and a file outside a client folder', () => {
    const q = 'query Same { workspacePlan { name } }';
    expect(() => registeredOperations([file('a.graphql', q), file('b.graphql', q)])).toThrow(
      /Same is defined twice for frontend/,
    );
    expect(() => operationFile('schema/operations/loose.graphql', q)).toThrow(/<client>/);
  });
});

describe('usedCoordinates', () => {
  const api = apiSchemaOf(readFileSync(path.join(root, 'schema/supergraph.graphql'), 'utf8'));
  const used = (text: string) => usedCoordinates(api, parse(text));

  it('names the fields, the arguments passed and the input fields written', () => {
    const coordinates = used(
      'query Q($from: DateTime!) { orders(filter: { orderedFrom: $from }, first: 5) { totalCount edges { node { code status } } } }',
    );
    expect([...coordinates]).toEqual(
      expect.arrayContaining([
        'Query.orders',
        'Query.orders.filter',
        'Query.orders.first',
        'OrderFilter.orderedFrom',
        'OrderConnection.totalCount',
        'Order.code',
        'Order.status',
        'OrderStatus.CANCELLED',
      ]),
    );
    expect(coordinates.has('Query.orders.sort')).toBe(false);
    expect(coordinates.has('OrderFilter.code')).toBe(false);
    expect(coordinates.has('Order.total')).toBe(false);
  });

  it('counts every field of an input a variable carries, nested inputs too', () => {
    const coordinates = used(
      'query Q($filter: CustomerFilter) { customers(filter: $filter) { totalCount } }',
    );
    for (const c of ['CustomerFilter.timezone', 'CustomerFilter.and', 'StringFilter.eq']) {
      expect(coordinates.has(c)).toBe(true);
    }
  });
});
