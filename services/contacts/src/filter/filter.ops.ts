// The building blocks every field is made of: an operator turns one value into one
// SQL condition, and the factories below give the usual operator sets over a column
// expression. See the NULL rules at the top of filter.compiler.ts: positive operators
// stay plain (and may yield NULL, which counts as false), negations never yield NULL.
import { badInput } from '@customer-graph/runtime';
import { escapeLike } from './search-text';
import type { Reader } from './filter.values';
import {
  isRecord,
  readBoolean,
  readBounds,
  readDate,
  readDateTime,
  readList,
  readNumber,
  readString,
  show,
} from './filter.values';

/** What operators may use while one filter compiles. */
export interface Scope {
  /** The customer table's alias, already checked to be a plain identifier. */
  readonly a: string;
  /** Binds a value and returns its placeholder. */
  param(value: unknown): string;
  /** Spends one condition of the filter's budget; throws at `at` when it is used up. */
  count(at: string): void;
  /** A phone's E.164 form or null; memoised per request, so each is parsed once. */
  e164(typed: string): string | null;
  /** Notes that the filter searches text (FilterContext.onTextSearch). */
  textSearch(): void;
  /** Tags and labels are compared by their values' hashes (FilterContext.hashedValues). */
  readonly hashedValues: boolean;
}

export type Operator = (value: unknown, at: string, s: Scope) => string;
export type Operators = Readonly<Record<string, Operator>>;

/** How one kind of value is read and bound. */
export interface ValueType<T> {
  read: Reader<T>;
  /** Written after a single value's placeholder, e.g. '::date'. */
  cast: string;
  /** Written after a list's placeholder, e.g. '::date[]'. */
  arrayCast: string;
}

/**
 * Compiles the operators of one field filter (`{ gt: 3, lte: 9 }`) to its conditions,
 * to be ANDed. Null operators are absent; an operator not in `ops` is refused with
 * `invalid(name)`, and a filter with no operator at all with `empty`.
 */
export function compileOperators(
  input: unknown,
  at: string,
  ops: Operators,
  s: Scope,
  messages: { invalid: (op: string) => string; empty: string },
): string[] {
  if (!isRecord(input)) throw badInput(at, `${show(input)} is not an object`);
  const conditions: string[] = [];
  for (const [op, value] of Object.entries(input)) {
    const path = `${at}.${op}`;
    // Object.hasOwn: a stored filter's "constructor" or "__proto__" is just unknown.
    if (!Object.hasOwn(ops, op)) throw badInput(path, messages.invalid(op));
    if (value === null || value === undefined) continue;
    s.count(path);
    conditions.push(ops[op](value, path, s));
  }
  if (conditions.length === 0) throw badInput(at, messages.empty);
  return conditions;
}

/** eq, neq, in, notIn over `e`. A customer without a value passes neq and notIn. */
export function equalityOps<T>(e: string, t: ValueType<T>): Operators {
  const list = readList(t.read);
  return {
    eq: (v, at, s) => `${e} = ${s.param(t.read(v, at))}${t.cast}`,
    neq: (v, at, s) => `${e} IS DISTINCT FROM ${s.param(t.read(v, at))}${t.cast}`,
    in: (v, at, s) => `${e} = ANY(${s.param(list(v, at))}${t.arrayCast})`,
    notIn: (v, at, s) => `(${e} IS NULL OR ${e} <> ALL(${s.param(list(v, at))}${t.arrayCast}))`,
  };
}

/** lt, lte, gt, gte and between (inclusive) over `e`. */
export function orderOps<T>(e: string, t: ValueType<T>, order: (a: T, b: T) => number): Operators {
  const compare =
    (sign: string): Operator =>
    (v, at, s) =>
      `${e} ${sign} ${s.param(t.read(v, at))}${t.cast}`;
  const bounds = readBounds(t.read, order);
  return {
    lt: compare('<'),
    lte: compare('<='),
    gt: compare('>'),
    gte: compare('>='),
    between: (v, at, s) => {
      const [low, high] = bounds(v, at);
      return `${e} BETWEEN ${s.param(low)}${t.cast} AND ${s.param(high)}${t.cast}`;
    },
  };
}

/** isEmpty and isNotEmpty; `isEmpty: false` means `isNotEmpty: true` and vice versa. */
export function emptyOps(empty: string, notEmpty: string): Operators {
  return {
    isEmpty: (v, at) => (readBoolean(v, at) ? empty : notEmpty),
    isNotEmpty: (v, at) => (readBoolean(v, at) ? notEmpty : empty),
  };
}

/**
 * contains and startsWith as `e LIKE pattern` (or ILIKE), the value first put in the
 * column's form by `prepare`. A value with nothing left to search for is refused:
 * `LIKE '%%'` would match every customer that has any value, which nobody means.
 */
export function likeOps(
  e: string,
  like: 'LIKE' | 'ILIKE',
  prepare: (text: string) => string,
): Operators {
  const pattern =
    (wrap: (escaped: string) => string): Operator =>
    (v, at, s) => {
      const text = prepare(readString(v, at));
      if (text === '') throw badInput(at, `${show(v)} has nothing to search for`);
      return `${e} ${like} ${s.param(wrap(escapeLike(text)))}`;
    };
  return {
    contains: pattern((text) => `%${text}%`),
    startsWith: pattern((text) => `${text}%`),
  };
}

/**
 * Operators over a customer's related rows (phones, external ids): `positive` ones
 * hold when some row matches; each of `negations` (e.g. neq → eq) holds when no row
 * matches the positive operator, so a customer with no rows at all passes it.
 */
export function someRowOps(
  exists: (condition: string) => string,
  positive: Operators,
  negations: Readonly<Record<string, string>>,
): Operators {
  const ops: Record<string, Operator> = {};
  for (const [name, op] of Object.entries(positive)) {
    ops[name] = (v, at, s) => exists(op(v, at, s));
  }
  for (const [name, of] of Object.entries(negations)) {
    ops[name] = (v, at, s) => `NOT ${exists(positive[of](v, at, s))}`;
  }
  return ops;
}

/** Text values, bound as they are. */
export const TEXT: ValueType<string> = { read: readString, cast: '', arrayCast: '::text[]' };

/** Finite numbers, compared as numeric. */
export const NUMBER: ValueType<number> = {
  read: readNumber,
  cast: '::numeric',
  arrayCast: '::numeric[]',
};

/** Calendar dates as 'YYYY-MM-DD'. */
export const DATE: ValueType<string> = { read: readDate, cast: '::date', arrayCast: '::date[]' };

/** Instants: a Date, or an ISO-8601 string with a zone from a stored filter. */
export const DATE_TIME: ValueType<string> = {
  read: readDateTime,
  cast: '::timestamptz',
  arrayCast: '::timestamptz[]',
};

/** Instants in time order. */
export const byInstant = (a: string, b: string): number => Date.parse(a) - Date.parse(b);

/** 'YYYY-MM-DD' strings sort as the dates they name. */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const identity = (text: string): string => text;
