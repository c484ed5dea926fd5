// JSON (custom values, filters kept as data) and FilterValue (a custom field
// condition's value: string, number or boolean).
import { GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import { badInput } from '@customer-graph/runtime';

export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

function filterValue(value: unknown): string | number | boolean {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw badInput('FilterValue', `${JSON.stringify(value)} is not a string, number or boolean`);
}

export const FilterValueScalar = new GraphQLScalarType({
  name: 'FilterValue',
  serialize: filterValue,
  parseValue: filterValue,
  parseLiteral: (ast) => {
    switch (ast.kind) {
      case Kind.STRING:
      case Kind.BOOLEAN:
        return ast.value;
      case Kind.INT:
      case Kind.FLOAT:
        return Number(ast.value);
      default:
        throw badInput('FilterValue', 'a filter value is a string, number or boolean');
    }
  },
});
