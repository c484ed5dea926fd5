import { Kind, parse } from 'graphql';
import { SUBGRAPH_NAMES, readRepoFile } from '@customer-graph/runtime';
import { MOCK_DATE_TIME, buildMockSchema, mockSchemaFromSdl } from './mock-resolvers';
import { executeMock } from './mock-subgraph';

const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  scalar DateTime
  enum Tier { SILVER GOLD }
  type Thing @key(fields: "id") {
    id: ID!
    name: String!
    note: String
    count: Int!
    ratio: Float
    active: Boolean!
    tier: Tier!
    at: DateTime!
    owner: Owner
    detail: Detail!
    tags: [String!]!
    pick: Pick!
  }
  type Owner { id: ID! }
  type Detail { label: String! items: [Owner!]! }
  type A { a: Int! }
  type B { b: Int! }
  union Pick = A | B
  type Query {
    thing(id: ID!, first: Int = 3): Thing
    thingsByIds(ids: [ID!]!): [Thing!]!
    things(first: Int = 10): [Thing!]!
  }
`;

/** Every entity type (with @key) of a subgraph's committed SDL. */
function entityTypes(name: string): string[] {
  return parse(readRepoFile(`schema/${name}.graphql`)).definitions.flatMap((d) =>
    (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) &&
    d.directives?.some((x) => x.name.value === 'key')
      ? [d.name.value]
      : [],
  );
}

describe('mock subgraph resolvers', () => {
  const schema = mockSchemaFromSdl(SDL);

  it('answer a root field with the id asked for and placeholders by type', async () => {
    const result = await executeMock(schema, {
      query: `{ thing(id: "t-1") { id name note count ratio active tier at owner { id }
        detail { label items { id } } tags pick { __typename ... on A { a } } } }`,
    });
    expect(result).toEqual({
      data: {
        thing: {
          id: 't-1',
          name: 'mock Thing.name',
          note: 'mock Thing.note',
          count: 0,
          ratio: 0,
          active: false,
          tier: 'SILVER',
          at: MOCK_DATE_TIME,
          owner: null,
          detail: { label: 'mock Detail.label', items: [] },
          tags: [],
          pick: { __typename: 'A', a: 0 },
        },
      },
    });
  });

  it('answer a list root field given ids with one object per id, any other list empty', async () => {
    const result = await executeMock(schema, {
      query: '{ thingsByIds(ids: ["a", "b"]) { id name } things { id } }',
    });
    expect(result).toEqual({
      data: {
        thingsByIds: [
          { id: 'a', name: 'mock Thing.name' },
          { id: 'b', name: 'mock Thing.name' },
        ],
        things: [],
      },
    });
  });

  it('answer every representation of _entities with its own key fields', async () => {
    const result = await executeMock(schema, {
      query: `query ($r: [_Any!]!) { _entities(representations: $r) {
        ... on Thing { id count owner { id } } } }`,
      variables: {
        r: [
          { __typename: 'Thing', id: 'x' },
          { __typename: 'Thing', id: 'y' },
        ],
      },
    });
    expect(result).toEqual({
      data: {
        _entities: [
          { id: 'x', count: 0, owner: null },
          { id: 'y', count: 0, owner: null },
        ],
      },
    });
  });

  it('refuse a query the SDL does not allow, as the real subgraph would', async () => {
    const result = await executeMock(schema, { query: '{ thing(id: "a") { nope } }' });
    expect(result.data).toBeUndefined();
    expect((result.errors as { message: string }[])[0].message).toMatch(
      /^Cannot query field "nope" on type "Thing"/,
    );
  });

  it.each(SUBGRAPH_NAMES)(
    'build from the committed SDL of %s and answer every one of its entities',
    async (name) => {
      const mock = buildMockSchema(name);
      const types = entityTypes(name);
      expect(types.length).toBeGreaterThan(0);
      const result = await executeMock(mock, {
        query: `query ($r: [_Any!]!) { _entities(representations: $r) { __typename
          ${types.map((t) => `... on ${t} { id }`).join(' ')} } }`,
        variables: { r: types.map((t, i) => ({ __typename: t, id: `id-${i}` })) },
      });
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({
        _entities: types.map((t, i) => ({ __typename: t, id: `id-${i}` })),
      });
    },
  );

  it("answer contacts' customer(id) with that id and the customer's placeholders", async () => {
    const result = await executeMock(buildMockSchema('contacts'), {
      query: '{ customer(id: "c-1") { id name phone tags phones { number } } }',
    });
    expect(result).toEqual({
      data: {
        customer: {
          id: 'c-1',
          name: 'mock Customer.name',
          phone: 'mock Customer.phone',
          tags: [],
          phones: [],
        },
      },
    });
  });
});
