// Scalars shared by the subgraphs (each SDL declares them; composition merges them).
import { GraphQLScalarType, Kind, print } from 'graphql';
import type { ValueNode } from 'graphql';
import { badInput } from './errors';

/** An instant, ISO 8601 with zone, e.g. 2026-11-23T12:00:00.000Z. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError(`DateTime cannot represent ${value}`);
    return date.toISOString();
  },
  parseValue(value) {
    return parseDateTime(value);
  },
  parseLiteral(ast: ValueNode) {
    return parseDateTime(ast.kind === Kind.STRING ? ast.value : print(ast));
  },
});

function parseDateTime(value: unknown): Date {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw badInput('DateTime', `"${String(value)}" is not an ISO 8601 date-time`);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(value: unknown): string {
  if (typeof value === 'string') {
    const m = DATE.exec(value);
    if (m) {
      const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
      if (d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3]) return value;
    }
  }
  throw badInput('Date', `"${String(value)}" is not a calendar date (YYYY-MM-DD)`);
}

/** A calendar date without time or zone (a birthday), YYYY-MM-DD. */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : print(ast)),
});

function parseVnd(value: unknown): number {
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isSafeInteger(n)) return n;
  throw badInput('VND', `"${String(value)}" is not a whole amount of đồng`);
}

/**
 * Money: a whole number of Vietnamese đồng. Stored as bigint; sent as a JSON number
 * (exact up to 9,007,199,254,740,991 ₫, far beyond any order).
 */
export const VndScalar = new GraphQLScalarType({
  name: 'VND',
  serialize: parseVnd,
  parseValue: parseVnd,
  parseLiteral: (ast) =>
    parseVnd(ast.kind === Kind.INT || ast.kind === Kind.STRING ? ast.value : undefined),
});

export const scalarResolvers = { DateTime: DateTimeScalar, Date: DateScalar, VND: VndScalar };
