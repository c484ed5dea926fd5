// `npm run schema:check`'s rules on temporary copies of the schema folder: the real
// SDL, operations and event contracts as the base, a copy with one change as the
// proposed tree. The real files are never edited.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@customer-graph/runtime';
import { declaredConsumers, readEventContracts } from './event-contracts';
import type { Consumers } from './event-contracts';
import { readOperationFiles } from './operations';
import { baseFromGit, checkChange, proposedFromWorkingTree, resolveBase } from './schema-check';
import type { BaseTree } from './schema-check';

const root = repoRoot();
let consumers: Consumers;
let base: BaseTree;
let copy: string;

beforeAll(async () => {
  consumers = await declaredConsumers();
  base = {
    supergraphSdl: readFileSync(path.join(root, 'schema/supergraph.graphql'), 'utf8'),
    operations: readOperationFiles(root),
    events: readEventContracts(root),
  };
}, 60_000);

beforeEach(() => {
  copy = mkdtempSync(path.join(tmpdir(), 'schema-check-'));
  cpSync(path.join(root, 'schema'), path.join(copy, 'schema'), { recursive: true });
});
afterEach(() => rmSync(copy, { recursive: true, force: true }));

/** Edits a file of the copy. */
function edit(file: string, change: (text: string) => string): void {
  const full = path.join(copy, file);
  const before = readFileSync(full, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`the edit changed nothing in ${file}`);
  writeFileSync(full, after);
}

const check = (with_: Consumers = consumers) =>
  checkChange(base, proposedFromWorkingTree(copy, with_));

describe('schema:check on the GraphQL schema', () => {
  it('passes an unchanged tree without a warning', async () => {
    const findings = await check();
    expect(findings.failures).toEqual([]);
    expect(findings.warnings).toEqual([]);
  });

  it('fails a rename of a field customer-detail.graphql uses, naming the file and the field', async () => {
    edit('schema/contacts.graphql', (sdl) =>
      sdl.replace('\n  birthday: Date\n', '\n  dateOfBirth: Date\n'),
    );
    const { failures } = await check();
    expect(failures).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^breaking change used by schema\/operations\/frontend\/customer-detail\.graphql \(CustomerDetailPage\): Field 'birthday' was removed from object type 'Customer'.*uses Customer\.birthday$/,
        ),
        expect.stringMatching(
          /^schema\/operations\/frontend\/customer-detail\.graphql \(CustomerDetailPage\) is not valid against the proposed schema: Cannot query field "birthday" on type "Customer"/,
        ),
      ]),
    );
    // The list page does not show the birthday.
    expect(failures.join('\n')).not.toMatch(/customer-list/);
  });

  it('fails a breaking change to an argument an analyst report passes', async () => {
    edit('schema/orders-loyalty.graphql', (sdl) =>
      sdl.replace(
        'orders(filter: OrderFilter, sort: OrderSort, first: Int = 20',
        'orders(filter: OrderFilter, sort: [OrderSort!], first: Int = 20',
      ),
    );
    const { failures } = await check();
    expect(failures).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^breaking change used by schema\/operations\/analyst\/recent-orders\.graphql \(RecentOrders\):.*Query\.orders\.sort/,
        ),
      ]),
    );
  });

  it('passes the removal of a field no operation uses, with a warning naming it', async () => {
    edit('schema/orders-loyalty.graphql', (sdl) =>
      sdl.replace(
        '  """\n  Buyer email as the source wrote it.\n  """\n  buyerEmail: String\n',
        '',
      ),
    );
    const findings = await check();
    expect(findings.failures).toEqual([]);
    expect(findings.warnings).toEqual([
      expect.stringMatching(
        /^breaking change no registered operation uses: Field 'buyerEmail' was removed from object type 'Order'/,
      ),
    ]);
  });

  it('passes a dangerous change with a warning naming the operations it touches', async () => {
    edit('schema/orders-loyalty.graphql', (sdl) =>
      sdl.replace('  RETURNED\n', '  RETURNED\n  """\n  Lost by the carrier.\n  """\n  LOST\n'),
    );
    const findings = await check();
    expect(findings.failures).toEqual([]);
    expect(findings.warnings).toHaveLength(1);
    expect(findings.warnings[0]).toMatch(
      /^dangerous change: Enum value 'LOST' was added to enum 'OrderStatus'.*; it touches /,
    );
    for (const file of ['recent-orders', 'customer-detail', 'customer-list']) {
      expect(findings.warnings[0]).toContain(`${file}.graphql`);
    }
  });

  it('reports SDL that does not compose', async () => {
    edit('schema/marketing.graphql', (sdl) =>
      sdl.replace('type PageInfo @shareable {', 'type PageInfo {'),
    );
    await expect(check()).rejects.toThrow(/does not compose[\s\S]*PageInfo/);
  });
});

describe('schema:check on the event contracts', () => {
  it('knows the consumers from the services’ own declarations', () => {
    expect(consumers['followers.follower.phone-shared']).toEqual(['contacts']);
    expect(consumers['contacts.customer.assigned']).toEqual([
      'followers',
      'orders-loyalty',
      'marketing',
    ]);
  });

  it('fails the removal of a field a consumer reads, naming the consuming service', async () => {
    const file = 'schema/events/followers.follower.phone-shared.json';
    edit(file, (text) => {
      const schema = JSON.parse(text);
      const payload = schema.properties.payload;
      delete payload.properties.phoneE164;
      payload.required = payload.required.filter((f: string) => f !== 'phoneE164');
      return JSON.stringify(schema, null, 2);
    });
    const { failures } = await check();
    expect(failures).toEqual([
      `${file} breaks its consumers contacts (they consume followers.follower.phone-shared): ` +
        'payload.phoneE164: no longer required; payload.phoneE164: property removed',
    ]);
  });

  it('fails a new version of a consumed event, and passes a compatible change', async () => {
    edit('schema/events/orders.customer.tier-changed.json', (text) =>
      text
        .replace('"version": { "const": 1 }', '"version": { "const": 2 }')
        .replace('tier-changed v1', 'tier-changed v2'),
    );
    const { failures } = await check();
    expect(failures).toEqual([
      expect.stringMatching(/breaks its consumers contacts.*version changed from 1 to 2/),
    ]);

    rmSync(path.join(copy, 'schema'), { recursive: true });
    cpSync(path.join(root, 'schema'), path.join(copy, 'schema'), { recursive: true });
    edit('schema/events/followers.follower.phone-shared.json', (text) => {
      const schema = JSON.parse(text);
      schema.properties.payload.properties.country = { type: ['string', 'null'] };
      return JSON.stringify(schema, null, 2);
    });
    expect(await check()).toMatchObject({ failures: [], warnings: [] });
  });

  it('passes with a warning an incompatible change to an event nobody consumes', async () => {
    edit('schema/events/orders.audit.recorded.json', (text) => {
      const schema = JSON.parse(text);
      schema.properties.payload.required = [...(schema.properties.payload.required ?? []), 'x'];
      schema.properties.payload.properties.x = { type: 'string' };
      return JSON.stringify(schema, null, 2);
    });
    const others = Object.fromEntries(
      Object.entries(consumers).filter(([type]) => type !== 'orders.audit.recorded'),
    );
    const findings = await check(others);
    expect(findings.failures).toEqual([]);
    expect(findings.warnings).toEqual([
      expect.stringMatching(
        /^schema\/events\/orders\.audit\.recorded\.json changed incompatibly, but no service consumes orders\.audit\.recorded: .*payload\.x: newly required/,
      ),
    ]);
  });
});

it('reads the base from git: the supergraph, the operations and the event contracts', () => {
  const head = baseFromGit(root, resolveBase(root, 'HEAD'));
  expect(head.supergraphSdl).toMatch(/type Query/);
  expect(head.operations.map((o) => o.file)).toContain(
    'schema/operations/frontend/customer-detail.graphql',
  );
  expect(Object.keys(head.events.events)).toContain('contacts.customer.deleted');
  expect(() => resolveBase(root, 'no-such-branch-here')).toThrow(/--base <ref>/);
});
