// Conditions on the workspace's custom fields, stored by key in the `custom` jsonb
// column. The key is always bound as a parameter, never written into the SQL.
//
// A stored value of the wrong JSON type (a field changed from TEXT to NUMBER, say)
// must not make the whole query fail on a cast, so typed comparisons read a value only
// when it has the right shape, and otherwise see no value at all.
import { badInput } from '@customer-graph/runtime';
import type { CustomFieldDef } from './filter.types';
import type { Operator, Operators, Scope } from './filter.ops';
import {
  DATE,
  NUMBER,
  TEXT,
  byText,
  compileOperators,
  emptyOps,
  equalityOps,
  identity,
  likeOps,
  orderOps,
} from './filter.ops';
import type { Reader } from './filter.values';
import {
  isRecord,
  readBoolean,
  readList,
  readNumber,
  readOneOf,
  readString,
  show,
} from './filter.values';

/** Compiles `custom: [...]`; each entry's operators are ANDed, and the entries too. */
export function compileCustom(
  input: unknown,
  at: string,
  s: Scope,
  defs: ReadonlyMap<string, CustomFieldDef>,
): string[] {
  if (!Array.isArray(input)) throw badInput(at, `${show(input)} is not a list`);
  return input.flatMap((entry, i) => compileEntry(entry, `${at}[${i}]`, s, defs));
}

function compileEntry(
  entry: unknown,
  at: string,
  s: Scope,
  defs: ReadonlyMap<string, CustomFieldDef>,
): string[] {
  if (!isRecord(entry)) throw badInput(at, `${show(entry)} is not an object`);
  const { key, ...operators } = entry;
  if (key === undefined || key === null) {
    throw badInput(`${at}.key`, 'a custom field filter needs a "key"');
  }
  const name = readString(key, `${at}.key`);
  const def = defs.get(name);
  if (!def) throw badInput(`${at}.key`, `unknown custom field ${show(name)}`);
  return compileOperators(operators, at, customOperators(def, s.param(name), s), s, {
    invalid: (op) =>
      `operator ${show(op)} is not valid for a ${def.type} custom field ${show(name)}`,
    empty: `the filter on custom field ${show(name)} has no operator`,
  });
}

/** The operators of one field, `k` being the placeholder its key is bound to. */
function customOperators(def: CustomFieldDef, k: string, { a }: Scope): Operators {
  const json = `(${a}.custom->${k}::text)`;
  const text = `(${a}.custom->>${k}::text)`;
  // ->> gives SQL NULL both for a missing key and for a JSON null.
  const scalarEmpty = emptyOps(`${text} IS NULL`, `${text} IS NOT NULL`);
  const option = readOneOf(def.options ?? [], `an option of custom field ${show(def.key)}`);
  switch (def.type) {
    case 'TEXT':
      return {
        ...equalityOps(text, TEXT),
        ...containment(a, k, readString),
        ...likeOps(text, 'ILIKE', identity),
        ...scalarEmpty,
      };
    case 'NUMBER': {
      const value = `(CASE WHEN jsonb_typeof(${json}) = 'number' THEN ${text}::numeric END)`;
      return {
        ...equalityOps(value, NUMBER),
        ...containment(a, k, readNumber),
        ...orderOps(value, NUMBER, (x, y) => x - y),
        ...scalarEmpty,
      };
    }
    case 'DATE': {
      // The pattern keeps out words the date type would accept ('today'); the check
      // (PostgreSQL 16) keeps out impossible dates such as 2024-02-30.
      const valid = `${text} ~ '^\\d{4}-\\d{2}-\\d{2}$' AND pg_input_is_valid(${text}, 'date')`;
      const value = `(CASE WHEN ${valid} THEN ${text}::date END)`;
      return { ...equalityOps(value, DATE), ...orderOps(value, DATE, byText), ...scalarEmpty };
    }
    case 'BOOLEAN':
      return { ...containment(a, k, readBoolean), ...scalarEmpty };
    case 'SELECT':
      return {
        ...equalityOps(text, { ...TEXT, read: option }),
        ...containment(a, k, option),
        ...scalarEmpty,
      };
    case 'MULTI_SELECT':
      return { ...optionSets(json, readList(option)), ...listEmpty(json) };
    case 'TABLE':
      return listEmpty(json);
    default:
      throw new Error(`custom field ${show(def.key)} has an unknown type ${show(def.type)}`);
  }
}

/**
 * eq and neq as jsonb containment, which a GIN index on `custom` can serve. `custom` is
 * never NULL, so containment is never NULL either and neq is a plain NOT: a customer
 * without the field passes neq.
 */
function containment(a: string, k: string, read: Reader<string | number | boolean>): Operators {
  const contains: Operator = (v, at, s) =>
    `${a}.custom @> jsonb_build_object(${k}::text, ${s.param(JSON.stringify(read(v, at)))}::jsonb)`;
  return { eq: contains, neq: (v, at, s) => `NOT (${contains(v, at, s)})` };
}

/** containsAny / containsAll for a JSON array of strings (functions, not ?| and ?&). */
function optionSets(json: string, read: Reader<string[]>): Operators {
  return {
    containsAny: (v, at, s) => `jsonb_exists_any(${json}, ${s.param(read(v, at))}::text[])`,
    containsAll: (v, at, s) => `jsonb_exists_all(${json}, ${s.param(read(v, at))}::text[])`,
  };
}

/**
 * A list (MULTI_SELECT, TABLE) is empty when the key is missing, null or an empty
 * array. Compared as jsonb values rather than with jsonb_array_length, which fails on
 * a JSON null.
 */
function listEmpty(json: string): Operators {
  const value = `COALESCE(${json}, 'null'::jsonb)`;
  return emptyOps(
    `${value} IN ('null'::jsonb, '[]'::jsonb)`,
    `${value} NOT IN ('null'::jsonb, '[]'::jsonb)`,
  );
}
