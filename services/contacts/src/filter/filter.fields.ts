// The customer's own (system) fields: for each filter key, the kind of field (named in
// error messages) and its operators over the customer table and its phone and
// external-id tables.
import { badInput } from '@customer-graph/runtime';
import { escapeLike, foldSearchText } from './search-text';
import type { Operator, Operators, Scope, ValueType } from './filter.ops';
import {
  DATE,
  DATE_TIME,
  TEXT,
  byInstant,
  byText,
  emptyOps,
  equalityOps,
  identity,
  likeOps,
  orderOps,
  someRowOps,
} from './filter.ops';
import type { Reader } from './filter.values';
import { readList, readOneOf, readString, readUuid, show } from './filter.values';
import { ORDER_FIELDS } from './filter.orders';
import { LOYALTY_FIELDS } from './filter.loyalty';
import { CONSENT_FIELDS } from './filter.consent';

export interface SystemField {
  /** As error messages name it: `operator "gt" is not valid for text field "name"`. */
  kind: string;
  operators(s: Scope): Operators;
}

/** Names are stored NFC; a value typed in another normal form must still match. */
const NFC_TEXT: ValueType<string> = {
  ...TEXT,
  read: (v, at) => readString(v, at).normalize('NFC'),
};
const LOWER_TEXT: ValueType<string> = { ...TEXT, read: (v, at) => readString(v, at).toLowerCase() };
const UUID: ValueType<string> = { read: readUuid, cast: '::uuid', arrayCast: '::uuid[]' };

/** A text column that may be NULL or '' (both count as empty). */
function emptyText(col: string): Operators {
  return emptyOps(`(${col} IS NULL OR ${col} = '')`, `(${col} IS NOT NULL AND ${col} <> '')`);
}

/** Words as pg_trgm takes them apart: runs of letters and digits. */
const WORDS = /[\p{L}\p{N}]+/gu;

/**
 * `contains` on a folded *_search column, for its trigram index. `LIKE '%nguyen van
 * duc%'` would have pg_trgm look up every trigram of the text, those padded with blanks
 * at the words' edges (" du", "an ") among them, which most names have: 2,500,000
 * index entries read on 1,000,000 customers for 326 matches. Each word of three or more
 * letters is looked up alone instead (`LIKE '%nguyen%'`: only its inner trigrams), and
 * the text itself is matched by strpos, which no index serves. The same rows match:
 * every word is part of the text, and strpos(col, text) > 0 is `LIKE '%text%'` without
 * wildcards. A text with no such word keeps its LIKE (its padded trigrams are all the
 * index has to go on).
 */
function searchContains(col: string): Operator {
  return (v, at, s) => {
    const text = foldSearchText(readString(v, at));
    if (text === '') throw badInput(at, `${show(v)} has nothing to search for`);
    s.textSearch();
    const words = [...new Set(text.match(WORDS) ?? [])].filter((w) => w.length >= 3);
    if (words.length === 0) return `${col} LIKE ${s.param(`%${escapeLike(text)}%`)}`;
    const looked = words.map((w) => `${col} LIKE ${s.param(`%${w}%`)}`);
    return `(${looked.join(' AND ')} AND strpos(${col}, ${s.param(text)}) > 0)`;
  };
}

/**
 * The least text above every text that starts with `prefix` in the "C" collation (code
 * point order, as UTF-8 bytes compare): its last character one higher; null if none is.
 */
export function afterPrefix(prefix: string): string | null {
  const chars = [...prefix];
  while (chars.length > 0) {
    let next = chars.pop()!.codePointAt(0)! + 1;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000; // no text holds a lone surrogate
    if (next <= 0x10ffff) return chars.join('') + String.fromCodePoint(next);
  }
  return null;
}

/**
 * `startsWith` on a folded *_search column (collation "C"): the LIKE, and the range of
 * texts it can match, which the (workspace_id, name_search, id) index serves. Postgres
 * derives that range itself from a LIKE whose pattern it sees, but the service's plans
 * are made for any value (generic): it walked the whole index in name order to the
 * prefix, 1.2 s for "tran thi" among 1,000,000 customers.
 */
function searchStartsWith(col: string): Operator {
  return (v, at, s) => {
    const text = foldSearchText(readString(v, at));
    if (text === '') throw badInput(at, `${show(v)} has nothing to search for`);
    const after = afterPrefix(text);
    const range = [
      `${col} >= ${s.param(text)}`,
      ...(after === null ? [] : [`${col} < ${s.param(after)}`]),
    ];
    return `(${range.join(' AND ')} AND ${col} LIKE ${s.param(`${escapeLike(text)}%`)})`;
  };
}

/** name, address, city: exact matches on the column, searches on its folded copy. */
function searchableText(column: string): SystemField {
  return {
    kind: 'text',
    operators: ({ a }) => ({
      ...equalityOps(`${a}.${column}`, NFC_TEXT),
      contains: searchContains(`${a}.${column}_search`),
      startsWith: searchStartsWith(`${a}.${column}_search`),
      ...emptyText(`${a}.${column}`),
    }),
  };
}

/** timezone, assigned staff: exact matches, case-insensitive searches. */
function plainText(column: string): SystemField {
  return {
    kind: 'text',
    operators: ({ a }) => ({
      ...equalityOps(`${a}.${column}`, TEXT),
      ...likeOps(`${a}.${column}`, 'ILIKE', identity),
      ...emptyText(`${a}.${column}`),
    }),
  };
}

const email: SystemField = {
  kind: 'email',
  operators: ({ a }) => ({
    ...equalityOps(`lower(${a}.email)`, LOWER_TEXT),
    ...likeOps(`lower(${a}.email)`, 'LIKE', (text) => text.toLowerCase()),
    ...emptyText(`${a}.email`),
  }),
};

function comparable(
  column: string,
  kind: string,
  type: ValueType<string>,
  order: (a: string, b: string) => number,
): SystemField {
  return {
    kind,
    operators: ({ a }) => ({
      ...equalityOps(`${a}.${column}`, type),
      ...orderOps(`${a}.${column}`, type, order),
      ...emptyOps(`${a}.${column} IS NULL`, `${a}.${column} IS NOT NULL`),
    }),
  };
}

function enumeration(column: string, values: readonly string[]): SystemField {
  const type = { ...TEXT, read: readOneOf(values, `one of ${values.join(', ')}`) };
  return {
    kind: 'enum',
    operators: ({ a }) => ({
      ...equalityOps(`${a}.${column}`, type),
      ...emptyOps(`${a}.${column} IS NULL`, `${a}.${column} IS NOT NULL`),
    }),
  };
}

/**
 * Tags or labels (`column`, a text array of distinct values). With hashedValues, the
 * same conditions over `hashes`, the values' hashes (NULL for none; migration
 * 1767100000100), the values asked for (never an empty list) hashed as the column's.
 */
function tagList(column: string, hashes: string): SystemField {
  const read = readList(readString);
  return {
    kind: 'tags',
    operators: ({ a, hashedValues }) => {
      if (!hashedValues) {
        return {
          containsAny: (v, at, s) => `${a}.${column} && ${s.param(read(v, at))}::text[]`,
          containsAll: (v, at, s) => `${a}.${column} @> ${s.param(read(v, at))}::text[]`,
          ...emptyOps(`cardinality(${a}.${column}) = 0`, `cardinality(${a}.${column}) > 0`),
        };
      }
      // A subquery: hashed once per statement. Called plainly, a generic plan (the
      // values a parameter) hashed them again for every row: 1.4 s instead of 0.3 s.
      const asked = (v: unknown, at: string, s: Scope) =>
        `(SELECT customer_value_hashes(${s.param(read(v, at))}::text[]))`;
      return {
        containsAny: (v, at, s) => `${a}.${hashes} && ${asked(v, at, s)}`,
        containsAll: (v, at, s) => `${a}.${hashes} @> ${asked(v, at, s)}`,
        ...emptyOps(`${a}.${hashes} IS NULL`, `${a}.${hashes} IS NOT NULL`),
      };
    },
  };
}

/** Reads a phone through the request's memo: one number in twenty places is parsed once. */
function phoneReader(e164Of: (typed: string) => string | null): Reader<string> {
  return (v, at) => {
    const e164 = e164Of(readString(v, at));
    if (!e164) throw badInput(at, `${show(v)} is not a valid phone number`);
    return e164;
  };
}

/** The digits to look for in E.164 numbers: a national leading 0 becomes 84. */
const readPhoneDigits: Reader<string> = (v, at) => {
  const digits = readString(v, at).normalize('NFKC').replace(/\D/g, '');
  if (digits.length < 3) throw badInput(at, `${show(v)} has fewer than 3 digits`);
  return digits.startsWith('0') ? `84${digits.slice(1)}` : digits;
};

/**
 * Correlated EXISTS rather than `id IN (SELECT customer_id …)`: PostgreSQL turns an
 * EXISTS into a semi-join (served by the (workspace_id, e164) index), but never a
 * correlated IN, which it would re-run for every customer.
 */
const phone: SystemField = {
  kind: 'phone',
  operators: ({ a, e164 }) => {
    const p = `${a}_phone`;
    const readPhone = phoneReader(e164);
    const rows = `FROM customer_phone ${p} WHERE ${p}.workspace_id = ${a}.workspace_id AND ${p}.customer_id = ${a}.id`;
    const exists = (condition: string) => `EXISTS (SELECT 1 ${rows} AND ${condition})`;
    const phones = readList(readPhone);
    return {
      ...someRowOps(
        exists,
        {
          eq: (v, at, s) => `${p}.e164 = ${s.param(readPhone(v, at))}`,
          in: (v, at, s) => `${p}.e164 = ANY(${s.param(phones(v, at))}::text[])`,
          contains: (v, at, s) => `${p}.e164 LIKE ${s.param(`%${readPhoneDigits(v, at)}%`)}`,
        },
        { neq: 'eq' },
      ),
      // has_phone is kept by triggers on customer_phone (migration CustomerHasPhone):
      // "has no phone" is counted from its partial index, not by an anti-join.
      ...emptyOps(`NOT ${a}.has_phone`, `${a}.has_phone`),
    };
  },
};

/** Any source's external id; neq and notIn hold when none of them matches. */
const externalId: SystemField = {
  kind: 'external id',
  operators: ({ a }) => {
    const x = `${a}_xid`;
    const rows = `FROM customer_external_id ${x} WHERE ${x}.workspace_id = ${a}.workspace_id AND ${x}.customer_id = ${a}.id`;
    const exists = (condition: string) => `EXISTS (SELECT 1 ${rows} AND ${condition})`;
    const { eq, in: anyOf } = equalityOps(`${x}.external_id`, TEXT);
    return {
      ...someRowOps(
        exists,
        { eq, in: anyOf, ...likeOps(`${x}.external_id`, 'ILIKE', identity) },
        { neq: 'eq', notIn: 'in' },
      ),
      ...emptyOps(`NOT EXISTS (SELECT 1 ${rows})`, `EXISTS (SELECT 1 ${rows})`),
    };
  },
};

export const SYSTEM_FIELDS: ReadonlyMap<string, SystemField> = new Map<string, SystemField>([
  ['id', { kind: 'id', operators: ({ a }) => equalityOps(`${a}.id`, UUID) }],
  ['name', searchableText('name')],
  ['email', email],
  ['address', searchableText('address')],
  ['city', searchableText('city')],
  ['timezone', plainText('timezone')],
  ['assignedStaff', plainText('assigned_staff')],
  ['phone', phone],
  ['birthday', comparable('birthday', 'date', DATE, byText)],
  ['createdAt', comparable('created_at', 'date-time', DATE_TIME, byInstant)],
  ['updatedAt', comparable('updated_at', 'date-time', DATE_TIME, byInstant)],
  ['gender', enumeration('gender', ['MALE', 'FEMALE', 'OTHER'])],
  ['type', enumeration('type', ['VISITOR', 'LEAD', 'CUSTOMER'])],
  ['group', enumeration('customer_group', ['PRIORITY', 'RESTRICTED'])],
  ['tags', tagList('tags', 'tag_hashes')],
  ['labels', tagList('labels', 'label_hashes')],
  ['externalId', externalId],
  ...ORDER_FIELDS,
  ...LOYALTY_FIELDS,
  ...CONSENT_FIELDS,
]);
