import { randomUUID } from 'node:crypto';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, Kind, graphql, parse } from 'graphql';
import type { FieldNode, GraphQLObjectType, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import {
  decodeCursor,
  encodeCursor,
  newestFirst,
  pageLimits,
  pageOf,
  pagedFields,
  selectsField,
  toConnection,
} from './pagination';
import type { Page, PageArgs, SortKey } from './pagination';
import { thrownBy } from './testing/errors';

const ID = randomUUID();
const AT = '2026-01-02T03:04:05.000Z';
const NEWEST: readonly SortKey[] = newestFirst('ordered_at');
const BY_NAME: readonly SortKey[] = [
  { key: 'NAME', direction: 'ASC', kind: 'text' },
  { key: 'CREATED_AT', direction: 'DESC', kind: 'timestamptz' },
];

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('the cursor codec', () => {
  it('round-trips a cursor, one key or several', () => {
    const one = { list: 'Customer.orders', sort: 'ordered_at:DESC', keys: [AT], id: ID };
    expect(decodeCursor(encodeCursor(one), 'Customer.orders', NEWEST)).toEqual(one);
    const two = {
      list: 'Query.customers',
      sort: 'NAME:ASC,CREATED_AT:DESC',
      keys: ['an', AT],
      id: ID,
    };
    expect(decodeCursor(encodeCursor(two), 'Query.customers', BY_NAME)).toEqual(two);
  });

  it.each([
    ['garbage', 'not a cursor'],
    ['JSON that is no cursor', b64({ a: 1 })],
    ['an array (the old tab format)', b64([AT, ID])],
    [
      'an id that is no uuid',
      b64({ list: 'Customer.orders', sort: 'ordered_at:DESC', keys: [AT], id: 'x' }),
    ],
    [
      'a key that is no instant',
      b64({ list: 'Customer.orders', sort: 'ordered_at:DESC', keys: ['x'], id: ID }),
    ],
    [
      'too many keys',
      b64({ list: 'Customer.orders', sort: 'ordered_at:DESC', keys: [AT, AT], id: ID }),
    ],
    [
      'a key that is no string',
      b64({ list: 'Customer.orders', sort: 'ordered_at:DESC', keys: [1], id: ID }),
    ],
  ])('refuses %s as BAD_USER_INPUT on after', (_name, value) => {
    const error = thrownBy(() => decodeCursor(value, 'Customer.orders', NEWEST));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(error.message).toBe('"after" is not a cursor returned by Customer.orders');
  });

  it("refuses another list's cursor, naming both", () => {
    const notes = encodeCursor({
      list: 'Customer.notes',
      sort: 'ordered_at:DESC',
      keys: [AT],
      id: ID,
    });
    const error = thrownBy(() => decodeCursor(notes, 'Customer.orders', NEWEST));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(error.message).toBe('"after" is a cursor of Customer.notes, not of Customer.orders');
  });

  it("refuses another sort's cursor, naming both sorts", () => {
    const byDate = encodeCursor({
      list: 'Query.customers',
      sort: 'CREATED_AT:DESC',
      keys: [AT],
      id: ID,
    });
    const error = thrownBy(() => decodeCursor(byDate, 'Query.customers', BY_NAME));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(error.message).toBe(
      '"after" is a cursor of Query.customers sorted by CREATED_AT:DESC, not by NAME:ASC,CREATED_AT:DESC',
    );
  });
});

const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@listSize"])
  type Query {
    orders(first: Int = 10, after: String): [Order!]!
      @listSize(assumedSize: 100, slicingArguments: ["first"], requireOneSlicingArgument: false)
    noDefault(first: Int, after: String): [Order!]!
      @listSize(assumedSize: 100, slicingArguments: ["first"], requireOneSlicingArgument: false)
    noCap(first: Int = 10, after: String): [Order!]!
    capNotSlicedByFirst(first: Int = 10): [Order!]! @listSize(assumedSize: 100)
  }
  type Customer @key(fields: "id") {
    id: ID!
    notes(first: Int = 20, after: String): [Order!]!
      @listSize(assumedSize: 250, slicingArguments: ["first"], requireOneSlicingArgument: false)
  }
  type Order { id: ID! }
`;

describe('pageOf, reading the page default and cap from the SDL', () => {
  let seen: Page | undefined;
  const schema: GraphQLSchema = buildSubgraphSchema({
    typeDefs: parse(SDL),
    resolvers: {
      Query: {
        orders: (_p: unknown, args: PageArgs, _c: unknown, info) => {
          seen = pageOf(args, info, NEWEST);
          return [];
        },
      },
    },
  });
  const query = schema.getQueryType()!;
  const at = (type: GraphQLObjectType, fieldName: string) => ({ parentType: type, fieldName });

  async function run(source: string, variables?: Record<string, unknown>) {
    seen = undefined;
    return graphql({ schema, source, variableValues: variables });
  }

  it('takes the SDL default when first is absent, and when it is an explicit null', async () => {
    expect((await run('{ orders { id } }')).errors).toBeUndefined();
    expect(seen).toEqual({ list: 'Query.orders', sort: NEWEST, first: 10, after: null });
    await run('{ orders(first: null) { id } }');
    expect(seen?.first).toBe(10);
    await run('query($n: Int) { orders(first: $n) { id } }', { n: null });
    expect(seen?.first).toBe(10);
    expect(
      pageOf({}, at(schema.getType('Customer') as GraphQLObjectType, 'notes'), NEWEST).first,
    ).toBe(20);
  });

  it('accepts 0 to the @listSize cap', async () => {
    await run('{ orders(first: 0) { id } }');
    expect(seen?.first).toBe(0);
    await run('{ orders(first: 100) { id } }');
    expect(seen?.first).toBe(100);
    const notes = at(schema.getType('Customer') as GraphQLObjectType, 'notes');
    expect(pageOf({ first: 250 }, notes, NEWEST).first).toBe(250);
  });

  it.each([101, -1])('refuses first = %p, naming the cap', async (first) => {
    const result = await run('query($n: Int) { orders(first: $n) { id } }', { n: first });
    expect(result.errors?.[0].message).toBe(
      `"first" must be an integer from 0 to 100, got ${first}`,
    );
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('decodes after for its own list only', async () => {
    const cursor = encodeCursor({
      list: 'Query.orders',
      sort: 'ordered_at:DESC',
      keys: [AT],
      id: ID,
    });
    await run('query($a: String) { orders(after: $a) { id } }', { a: cursor });
    expect(seen?.after).toEqual({
      list: 'Query.orders',
      sort: 'ordered_at:DESC',
      keys: [AT],
      id: ID,
    });
    const notes = at(schema.getType('Customer') as GraphQLObjectType, 'notes');
    const error = thrownBy(() => pageOf({ after: cursor }, notes, NEWEST));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('is a programming error, at first use, when the SDL states no default or no cap', () => {
    expect(() => pageOf({}, at(query, 'noDefault'), NEWEST)).toThrow(
      'Query.noDefault is paged but its SDL gives `first` no default',
    );
    expect(() => pageOf({}, at(query, 'noCap'), NEWEST)).toThrow(
      'Query.noCap is paged but its SDL states no cap',
    );
    expect(() => pageLimits(query, 'capNotSlicedByFirst')).toThrow(/states no cap/);
    // Not a client's error: production answers it as INTERNAL_SERVER_ERROR.
    let error: unknown;
    try {
      pageLimits(query, 'noCap');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(GraphQLError);
  });

  it('lists every paged field of a schema and what its SDL lacks', () => {
    const { checked, problems } = pagedFields(schema);
    expect(checked.sort()).toEqual([
      'Customer.notes',
      'Query.capNotSlicedByFirst',
      'Query.noCap',
      'Query.noDefault',
      'Query.orders',
    ]);
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/Query\.noDefault .* no default/);
  });

  it('reads a field once', () => {
    expect(pageLimits(query, 'orders')).toBe(pageLimits(query, 'orders'));
  });
});

describe('toConnection', () => {
  const page: Page = { list: 'Customer.orders', sort: NEWEST, first: 2, after: null };
  const rows = [
    { id: randomUUID(), at: '2026-01-03T00:00:00.000Z' },
    { id: randomUUID(), at: '2026-01-02T00:00:00.000Z' },
    { id: randomUUID(), at: '2026-01-01T00:00:00.000Z' },
  ];

  it('builds a connection from first + 1 rows, with cursors of its list and sort', () => {
    const conn = toConnection(rows, page, (r) => [r.at]);
    expect(conn.edges.map((e) => e.node.id)).toEqual([rows[0].id, rows[1].id]);
    expect(conn.pageInfo.hasNextPage).toBe(true);
    expect(decodeCursor(conn.pageInfo.endCursor!, 'Customer.orders', NEWEST)).toEqual({
      list: 'Customer.orders',
      sort: 'ordered_at:DESC',
      keys: [rows[1].at],
      id: rows[1].id,
    });
  });

  it('reports the last page', () => {
    const conn = toConnection(rows.slice(0, 1), { ...page, first: 5 }, (r) => [r.at]);
    expect(conn.pageInfo).toEqual({ hasNextPage: false, endCursor: conn.edges[0].cursor });
  });
});

describe('selectsField', () => {
  const infoOf = (query: string) => {
    const document = parse(query);
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    const fragments = Object.fromEntries(
      document.definitions.flatMap((d) =>
        d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [],
      ),
    );
    const field = (operation as OperationDefinitionNode).selectionSet.selections[0] as FieldNode;
    return { fieldNodes: [field], fragments };
  };

  it('finds a field asked directly, in an inline fragment or in a named one', () => {
    expect(selectsField(infoOf('{ orders { totalCount } }'), 'totalCount')).toBe(true);
    expect(
      selectsField(infoOf('{ orders { ... on OrderConnection { totalCount } } }'), 'totalCount'),
    ).toBe(true);
    expect(
      selectsField(
        infoOf('{ orders { ...F } } fragment F on OrderConnection { totalCount }'),
        'totalCount',
      ),
    ).toBe(true);
  });

  it('does not find it deeper down, or when it is not asked', () => {
    expect(selectsField(infoOf('{ orders { edges { node { id } } } }'), 'totalCount')).toBe(false);
    expect(
      selectsField(infoOf('{ orders { edges { node { totalCount: id } } } }'), 'totalCount'),
    ).toBe(false);
  });
});
