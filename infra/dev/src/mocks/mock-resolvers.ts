// What a mocked subgraph answers (`npm start -- --only <name>`, docs/partner-teams.md):
// its committed SDL (schema/<name>.graphql) built with @apollo/subgraph, and one field
// resolver for every field, so nothing here knows any subgraph's types by name.
//
// - `_entities` answers every representation with itself: an entity's @key fields
//   (and any @external fields the gateway sent) come back as the gateway gave them.
// - A root field returning an object answers with the ids asked for: `customer(id)`
//   → { id }; a list root field given `ids` answers one object per id.
// - Any other field: the parent's own value when it has one, else a placeholder by
//   type — lists empty, nullable objects null, strings `mock Type.field`, numbers 0,
//   booleans false, an enum its first value, dates the epoch, an id `mock-Type`.
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  Kind,
  getNamedType,
  isAbstractType,
  isEnumType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
} from 'graphql';
import type {
  GraphQLEnumType,
  GraphQLFieldResolver,
  GraphQLScalarType,
  GraphQLOutputType,
  GraphQLSchema,
  GraphQLType,
  GraphQLResolveInfo,
} from 'graphql';
import { readRepoFile, scalarResolvers } from '@customer-graph/runtime';

/** The instant every mocked DateTime answers with (deterministic, and plainly not real). */
export const MOCK_DATE_TIME = '1970-01-01T00:00:00.000Z';

const ROOT_TYPES = new Set(['Query', 'Mutation']);

/**
 * The placeholder of a field of `parentType` whose parent has no value for it (`schema`
 * names the object type that stands for a non-null interface or union).
 */
export function placeholder(
  schema: GraphQLSchema,
  type: GraphQLOutputType,
  parentType: string,
  field: string,
): unknown {
  if (isNonNullType(type)) {
    const inner = type.ofType;
    if (isListType(inner)) return [];
    const named = getNamedType(inner);
    if (isObjectType(named)) return {};
    if (isAbstractType(named)) {
      // The first object type that can stand for it, as an empty object of that type.
      const [first] = schema.getPossibleTypes(named);
      return first ? { __typename: first.name } : null;
    }
    return leafPlaceholder(named, parentType, field);
  }
  if (isListType(type)) return [];
  const named = getNamedType(type);
  if (isObjectType(named) || isAbstractType(named)) return null;
  // A nullable JSON (or a scalar not known here) has no sensible placeholder: null.
  if (named.name === 'JSON' || !isKnownScalar(named)) return null;
  return leafPlaceholder(named, parentType, field);
}

function isKnownScalar(type: GraphQLScalarType | GraphQLEnumType): boolean {
  return (
    isEnumType(type) ||
    ['ID', 'String', 'Int', 'Float', 'Boolean', 'DateTime', 'Date', 'VND'].includes(type.name)
  );
}

function leafPlaceholder(
  type: GraphQLScalarType | GraphQLEnumType,
  parentType: string,
  field: string,
): unknown {
  if (isEnumType(type)) return type.getValues()[0]?.value ?? null;
  switch (type.name) {
    case 'ID':
      return `mock-${parentType}`;
    case 'String':
      return `mock ${parentType}.${field}`;
    case 'Int':
    case 'Float':
    case 'VND':
      return 0;
    case 'Boolean':
      return false;
    case 'DateTime':
      return MOCK_DATE_TIME;
    case 'Date':
      return MOCK_DATE_TIME.slice(0, 10);
    case 'JSON':
      return {};
    default:
      return `mock ${parentType}.${field}`;
  }
}

/**
 * A root field's object from its arguments: each argument whose name and type match
 * a leaf field of the returned type (`customer(id: ID!)` → { id }); a list of objects
 * given a list of ids (`customersByIds(ids:)`) → one object per id.
 */
export function rootObject(
  returnType: GraphQLOutputType,
  args: Record<string, unknown>,
): Record<string, unknown> | Record<string, unknown>[] | undefined {
  const nullable = isNonNullType(returnType) ? returnType.ofType : returnType;
  const named = getNamedType(nullable);
  if (!isObjectType(named)) return undefined;
  const fields = named.getFields();
  if (isListType(nullable)) {
    const ids = Object.entries(args).find(
      ([name, value]) => /ids$/i.test(name) && Array.isArray(value),
    )?.[1] as unknown[] | undefined;
    if (!ids || !fields.id) return undefined;
    return ids.map((id) => ({ id }));
  }
  const object: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) {
    const field = fields[name];
    if (!field || value === undefined || value === null) continue;
    const fieldType = getNamedType(field.type);
    if (!isLeafType(fieldType) || isListType(unwrapNonNull(field.type))) continue;
    if (typeof value === 'object') continue;
    object[name] = value;
  }
  return object;
}

function unwrapNonNull(type: GraphQLType): GraphQLType {
  return isNonNullType(type) ? type.ofType : type;
}

/** The one resolver of every field of a mocked subgraph. */
export const mockFieldResolver: GraphQLFieldResolver<unknown, unknown> = (
  source,
  args,
  _context,
  info: GraphQLResolveInfo,
) => {
  const parentType = info.parentType.name;
  if (source && typeof source === 'object' && info.fieldName in source) {
    return (source as Record<string, unknown>)[info.fieldName];
  }
  if (ROOT_TYPES.has(parentType)) {
    const object = rootObject(info.returnType, args as Record<string, unknown>);
    if (object !== undefined) return object;
  }
  return placeholder(info.schema, info.returnType, parentType, info.fieldName);
};

/** The mocked subgraph's executable schema, from its committed SDL. */
export function buildMockSchema(name: string): GraphQLSchema {
  return mockSchemaFromSdl(readRepoFile(`schema/${name}.graphql`));
}

/** A subgraph schema from SDL, with the shared scalars it declares; fields resolve by mockFieldResolver. */
export function mockSchemaFromSdl(sdl: string): GraphQLSchema {
  const typeDefs = parse(sdl);
  const declared = new Set(
    typeDefs.definitions.flatMap((d) =>
      d.kind === Kind.SCALAR_TYPE_DEFINITION ? [d.name.value] : [],
    ),
  );
  const scalars = Object.fromEntries(
    Object.entries(scalarResolvers).filter(([scalar]) => declared.has(scalar)),
  );
  return buildSubgraphSchema({ typeDefs, resolvers: scalars });
}
