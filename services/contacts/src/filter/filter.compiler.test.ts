import { GraphQLError } from 'graphql';
import { MAX_CONDITIONS, compileFilter, listIdsIn, loadSavedLists } from './filter.compiler';
import type { CustomFieldDef, CustomerFilterInput, FilterContext } from './filter.types';
import { SqlParams } from './sql-params';
import { afterPrefix } from './filter.fields';

const ID1 = '6f1c2a9e-1b2c-4d3e-8f40-5a6b7c8d9e01';
const ID2 = '6f1c2a9e-1b2c-4d3e-8f40-5a6b7c8d9e02';

const CUSTOM_FIELDS = new Map<string, CustomFieldDef>(
  [
    { key: 'note', type: 'TEXT' },
    { key: 'size', type: 'NUMBER' },
    { key: 'since', type: 'DATE' },
    { key: 'vip', type: 'BOOLEAN' },
    { key: 'tier', type: 'SELECT', options: ['gold', 'silver'] },
    { key: 'likes', type: 'MULTI_SELECT', options: ['tea', 'coffee'] },
    { key: 'orders', type: 'TABLE' },
  ].map((def) => [def.key, def as CustomFieldDef]),
);

const LISTS = new Map<string, CustomerFilterInput>([
  ['hanoi', { city: { eq: 'Hà Nội' } }],
  ['hanoi-men', { inList: 'hanoi', gender: { eq: 'MALE' } }],
  ['self', { inList: 'self' }],
  ['ping', { or: [{ inList: 'pong' }] }],
  ['pong', { inList: 'ping' }],
  ['broken', { name: { gt: 'x' } } as unknown as CustomerFilterInput],
]);

function context(extra: Partial<FilterContext> = {}): FilterContext {
  return { alias: 'c', customFields: CUSTOM_FIELDS, lists: LISTS, ...extra };
}

/** Compiles a filter given as plain data, as a stored filter would arrive. */
function compile(filter: unknown, extra: Partial<FilterContext> = {}) {
  const params = new SqlParams();
  const sql = compileFilter(filter as CustomerFilterInput, context(extra), params);
  return { sql, values: params.values };
}

/** How a refused filter was refused: the error's code, field and message. */
function refusal(filter: unknown, extra: Partial<FilterContext> = {}) {
  let thrown: unknown;
  try {
    compile(filter, extra);
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof GraphQLError)) {
    const shown = JSON.stringify(filter).slice(0, 200);
    throw new Error(`${shown} was not refused with a GraphQLError: ${thrown}`);
  }
  return { code: thrown.extensions.code, field: thrown.extensions.field, message: thrown.message };
}

const bad = (field: string, message: unknown) => ({ code: 'BAD_USER_INPUT', field, message });

const PHONES =
  'FROM customer_phone c_phone WHERE c_phone.workspace_id = c.workspace_id AND c_phone.customer_id = c.id';
const EXTERNAL_IDS =
  'FROM customer_external_id c_xid WHERE c_xid.workspace_id = c.workspace_id AND c_xid.customer_id = c.id';
const SIZE = `(CASE WHEN jsonb_typeof((c.custom->$1::text)) = 'number' THEN (c.custom->>$1::text)::numeric END)`;
const SINCE = `(CASE WHEN (c.custom->>$1::text) ~ '^\\d{4}-\\d{2}-\\d{2}$' AND pg_input_is_valid((c.custom->>$1::text), 'date') THEN (c.custom->>$1::text)::date END)`;

describe('compileFilter', () => {
  it.each([null, undefined, {}])('compiles the empty filter %p to TRUE', (filter) => {
    expect(compile(filter)).toEqual({ sql: 'TRUE', values: [] });
  });

  it("numbers its parameters after the caller's", () => {
    const params = new SqlParams(['workspace-1']);
    const sql = compileFilter({ city: { eq: 'Huế' } }, context(), params);
    expect(sql).toBe('c.city = $2');
    expect(params.values).toEqual(['workspace-1', 'Huế']);
  });

  it('writes the given alias everywhere, subqueries included', () => {
    const { sql } = compile(
      { phone: { eq: '0912345678' }, city: { isEmpty: true } },
      { alias: 'cu' },
    );
    expect(sql).toBe(
      "(EXISTS (SELECT 1 FROM customer_phone cu_phone WHERE cu_phone.workspace_id = cu.workspace_id AND cu_phone.customer_id = cu.id AND cu_phone.e164 = $1) AND (cu.city IS NULL OR cu.city = ''))",
    );
  });

  it('bounds a prefix by the next text in code point order', () => {
    expect(afterPrefix('tran thi')).toBe('tran thj');
    expect(afterPrefix('a\u{10ffff}')).toBe('b');
    expect(afterPrefix('\u{d7ff}')).toBe('\u{e000}');
    expect(afterPrefix('\u{10ffff}')).toBeNull();
  });

  it('refuses an alias that is not a plain identifier, as a programming error', () => {
    expect(() => compile({}, { alias: 'c; DROP TABLE customer' })).toThrow('invalid SQL alias');
  });

  describe('name, address and city', () => {
    const nfd = 'Nguyễn Văn Đức'.normalize('NFD');
    const nfc = 'Nguyễn Văn Đức'.normalize('NFC');

    it.each<[string, unknown, string, unknown[]]>([
      ['eq (NFC)', { name: { eq: nfd } }, 'c.name = $1', [nfc]],
      ['neq', { name: { neq: 'An' } }, 'c.name IS DISTINCT FROM $1', ['An']],
      ['in', { name: { in: [nfd, 'An'] } }, 'c.name = ANY($1::text[])', [[nfc, 'An']]],
      [
        'notIn',
        { name: { notIn: ['An'] } },
        '(c.name IS NULL OR c.name <> ALL($1::text[]))',
        [['An']],
      ],
      [
        'contains (folded; each word of 3+ letters for the index, the text by strpos)',
        { name: { contains: ' VĂN  Đức ' } },
        '(c.name_search LIKE $1 AND c.name_search LIKE $2 AND strpos(c.name_search, $3) > 0)',
        ['%van%', '%duc%', 'van duc'],
      ],
      [
        'contains (a word only once; wildcards are not words)',
        { city: { contains: 'Hà%Nội_hà' } },
        '(c.city_search LIKE $1 AND strpos(c.city_search, $2) > 0)',
        ['%noi%', 'ha%noi_ha'],
      ],
      [
        'contains with no word of 3 letters (escaped, as a LIKE)',
        { address: { contains: 'Lê 5%' } },
        'c.address_search LIKE $1',
        ['%le 5\\%%'],
      ],
      [
        'startsWith (escaped; the range of texts it can match, for the index)',
        { address: { startsWith: '50%_Lê\\' } },
        '(c.address_search >= $1 AND c.address_search < $2 AND c.address_search LIKE $3)',
        ['50%_le\\', '50%_le]', '50\\%\\_le\\\\%'],
      ],
      ['isEmpty', { city: { isEmpty: true } }, "(c.city IS NULL OR c.city = '')", []],
      ['isEmpty: false', { city: { isEmpty: false } }, "(c.city IS NOT NULL AND c.city <> '')", []],
      ['isNotEmpty', { city: { isNotEmpty: true } }, "(c.city IS NOT NULL AND c.city <> '')", []],
      ['isNotEmpty: false', { city: { isNotEmpty: false } }, "(c.city IS NULL OR c.city = '')", []],
    ])('%s', (_name, filter, sql, values) => {
      expect(compile(filter)).toEqual({ sql, values });
    });

    it('ANDs several operators of one field, in the order given', () => {
      expect(compile({ name: { startsWith: 'ng', neq: 'Nguyễn' } })).toEqual({
        sql: '((c.name_search >= $1 AND c.name_search < $2 AND c.name_search LIKE $3) AND c.name IS DISTINCT FROM $4)',
        values: ['ng', 'nh', 'ng%', 'Nguyễn'],
      });
    });

    it('skips operators given as null', () => {
      expect(compile({ name: { eq: null, contains: 'an' } })).toEqual({
        sql: 'c.name_search LIKE $1',
        values: ['%an%'],
      });
    });
  });

  describe('email, timezone, assigned staff', () => {
    it.each<[string, unknown, string, unknown[]]>([
      ['email eq', { email: { eq: 'An@Shop.VN' } }, 'lower(c.email) = $1', ['an@shop.vn']],
      ['email in', { email: { in: ['A@B.vn'] } }, 'lower(c.email) = ANY($1::text[])', [['a@b.vn']]],
      [
        'email notIn',
        { email: { notIn: ['A@B.vn'] } },
        '(lower(c.email) IS NULL OR lower(c.email) <> ALL($1::text[]))',
        [['a@b.vn']],
      ],
      ['email contains', { email: { contains: '@Shop' } }, 'lower(c.email) LIKE $1', ['%@shop%']],
      [
        'timezone eq',
        { timezone: { eq: 'Asia/Ho_Chi_Minh' } },
        'c.timezone = $1',
        ['Asia/Ho_Chi_Minh'],
      ],
      [
        'timezone contains',
        { timezone: { contains: 'Ho_Chi' } },
        'c.timezone ILIKE $1',
        ['%Ho\\_Chi%'],
      ],
      [
        'staff startsWith',
        { assignedStaff: { startsWith: 'lan' } },
        'c.assigned_staff ILIKE $1',
        ['lan%'],
      ],
      [
        'staff isEmpty',
        { assignedStaff: { isEmpty: true } },
        "(c.assigned_staff IS NULL OR c.assigned_staff = '')",
        [],
      ],
    ])('%s', (_name, filter, sql, values) => {
      expect(compile(filter)).toEqual({ sql, values });
    });
  });

  describe('id', () => {
    it.each<[string, unknown, string, unknown[]]>([
      ['eq', { id: { eq: ID1 } }, 'c.id = $1::uuid', [ID1]],
      ['neq', { id: { neq: ID1 } }, 'c.id IS DISTINCT FROM $1::uuid', [ID1]],
      ['in', { id: { in: [ID1, ID2] } }, 'c.id = ANY($1::uuid[])', [[ID1, ID2]]],
      ['notIn', { id: { notIn: [ID1] } }, '(c.id IS NULL OR c.id <> ALL($1::uuid[]))', [[ID1]]],
    ])('%s', (_name, filter, sql, values) => {
      expect(compile(filter)).toEqual({ sql, values });
    });
  });

  describe('phone', () => {
    it.each<[string, unknown, string, unknown[]]>([
      [
        'eq (normalised)',
        { phone: { eq: '091 234 5678' } },
        `EXISTS (SELECT 1 ${PHONES} AND c_phone.e164 = $1)`,
        ['+84912345678'],
      ],
      [
        'neq (no phone passes)',
        { phone: { neq: '0912345678' } },
        `NOT EXISTS (SELECT 1 ${PHONES} AND c_phone.e164 = $1)`,
        ['+84912345678'],
      ],
      [
        'in',
        { phone: { in: ['0912345678', '+84 98 765 4321'] } },
        `EXISTS (SELECT 1 ${PHONES} AND c_phone.e164 = ANY($1::text[]))`,
        [['+84912345678', '+84987654321']],
      ],
      [
        'contains (national 0 → 84)',
        { phone: { contains: '0912-34' } },
        `EXISTS (SELECT 1 ${PHONES} AND c_phone.e164 LIKE $1)`,
        ['%8491234%'],
      ],
      [
        'contains (digits as typed)',
        { phone: { contains: '345' } },
        `EXISTS (SELECT 1 ${PHONES} AND c_phone.e164 LIKE $1)`,
        ['%345%'],
      ],
      // has_phone is kept by triggers on customer_phone (test/customer-has-phone.test.ts).
      ['isEmpty', { phone: { isEmpty: true } }, 'NOT c.has_phone', []],
      ['isNotEmpty', { phone: { isNotEmpty: true } }, 'c.has_phone', []],
    ])('%s', (_name, filter, sql, values) => {
      expect(compile(filter)).toEqual({ sql, values });
    });
  });

  describe('external id', () => {
    it.each<[string, unknown, string, unknown[]]>([
      [
        'eq',
        { externalId: { eq: 'z-1' } },
        `EXISTS (SELECT 1 ${EXTERNAL_IDS} AND c_xid.external_id = $1)`,
        ['z-1'],
      ],
      [
        'neq',
        { externalId: { neq: 'z-1' } },
        `NOT EXISTS (SELECT 1 ${EXTERNAL_IDS} AND c_xid.external_id = $1)`,
        ['z-1'],
      ],
      [
        'notIn',
        { externalId: { notIn: ['z-1'] } },
        `NOT EXISTS (SELECT 1 ${EXTERNAL_IDS} AND c_xid.external_id = ANY($1::text[]))`,
        [['z-1']],
      ],
      [
        'contains',
        { externalId: { contains: 'shop_' } },
        `EXISTS (SELECT 1 ${EXTERNAL_IDS} AND c_xid.external_id ILIKE $1)`,
        ['%shop\\_%'],
      ],
      ['isEmpty', { externalId: { isEmpty: true } }, `NOT EXISTS (SELECT 1 ${EXTERNAL_IDS})`, []],
    ])('%s', (_name, filter, sql, values) => {
      expect(compile(filter)).toEqual({ sql, values });
    });
  });

  describe('birthday, createdAt, updatedAt', () => {
    it.each<[string, unknown, string, unknown[]]>([
      ['eq', { birthday: { eq: '2000-02-29' } }, 'c.birthday = $1::date', ['2000-02-29']],
      [
        'neq',
        { birthday: { neq: '2000-02-29' } },
        'c.birthday IS DISTINCT FROM $1::date',
        ['2000-02-29'],
      ],
      [
        'in',
        { birthday: { in: ['2000-01-01'] } },
        'c.birthday = ANY($1::date[])',
        [['2000-01-01']],
      ],
      [
        'notIn',
        { birthday: { notIn: ['2000-01-01'] } },
        '(c.birthday IS NULL OR c.birthday <> ALL($1::date[]))',
        [['2000-01-01']],
      ],
      ['lt', { birthday: { lt: '2000-01-01' } }, 'c.birthday < $1::date', ['2000-01-01']],
      ['lte', { birthday: { lte: '2000-01-01' } }, 'c.birthday <= $1::date', ['2000-01-01']],
      ['gt', { birthday: { gt: '2000-01-01' } }, 'c.birthday > $1::date', ['2000-01-01']],
      ['gte', { birthday: { gte: '2000-01-01' } }, 'c.birthday >= $1::date', ['2000-01-01']],
      [
        'between (one day)',
        { birthday: { between: ['1990-05-01', '1990-05-01'] } },
        'c.birthday BETWEEN $1::date AND $2::date',
        ['1990-05-01', '1990-05-01'],
      ],
      ['isEmpty', { birthday: { isEmpty: true } }, 'c.birthday IS NULL', []],
      ['isNotEmpty', { birthday: { isNotEmpty: true } }, 'c.birthday IS NOT NULL', []],
      [
        'a Date',
        { createdAt: { gte: new Date('2026-01-02T03:04:05.678Z') } },
        'c.created_at >= $1::timestamptz',
        ['2026-01-02T03:04:05.678Z'],
      ],
      [
        'a stored ISO string, kept as written',
        { updatedAt: { lt: '2026-01-02T10:00:00.123456+07:00' } },
        'c.updated_at < $1::timestamptz',
        ['2026-01-02T10:00:00.123456+07:00'],
      ],
      [
        'between instants given in different zones',
        { createdAt: { between: ['2026-01-01T07:00:00+07:00', '2026-01-01T00:00:00Z'] } },
        'c.created_at BETWEEN $1::timestamptz AND $2::timestamptz',
        ['2026-01-01T07:00:00+07:00', '2026-01-01T00:00:00Z'],
      ],
      [
        'in',
        { createdAt: { in: [new Date(0)] } },
        'c.created_at = ANY($1::timestamptz[])',
        [['1970-01-01T00:00:00.000Z']],
      ],
    ])('%s', (_name, filter, sql, values) => {
      expect(compile(filter)).toEqual({ sql, values });
    });
  });

  describe('gender, type, group, tags, labels', () => {
    it.each<[string, unknown, string, unknown[]]>([
      ['gender eq', { gender: { eq: 'FEMALE' } }, 'c.gender = $1', ['FEMALE']],
      [
        'gender notIn',
        { gender: { notIn: ['MALE'] } },
        '(c.gender IS NULL OR c.gender <> ALL($1::text[]))',
        [['MALE']],
      ],
      [
        'type in',
        { type: { in: ['LEAD', 'CUSTOMER'] } },
        'c.type = ANY($1::text[])',
        [['LEAD', 'CUSTOMER']],
      ],
      [
        'group neq',
        { group: { neq: 'RESTRICTED' } },
        'c.customer_group IS DISTINCT FROM $1',
        ['RESTRICTED'],
      ],
      ['group isEmpty', { group: { isEmpty: true } }, 'c.customer_group IS NULL', []],
      [
        'tags containsAny',
        { tags: { containsAny: ['vip', 'sỉ'] } },
        'c.tags && $1::text[]',
        [['vip', 'sỉ']],
      ],
      ['labels containsAll', { labels: { containsAll: ['a'] } }, 'c.labels @> $1::text[]', [['a']]],
      ['tags isEmpty', { tags: { isEmpty: true } }, 'cardinality(c.tags) = 0', []],
      ['labels isEmpty: false', { labels: { isEmpty: false } }, 'cardinality(c.labels) > 0', []],
    ])('%s', (_name, filter, sql, values) => {
      expect(compile(filter)).toEqual({ sql, values });
    });

    // customerStats: tags and labels by their values' hashes (customer_stats_idx holds them).
    it.each<[string, unknown, string, unknown[]]>([
      [
        'tags containsAny',
        { tags: { containsAny: ['vip', 'sỉ'] } },
        'c.tag_hashes && (SELECT customer_value_hashes($1::text[]))',
        [['vip', 'sỉ']],
      ],
      [
        'labels containsAll',
        { labels: { containsAll: ['a'] } },
        'c.label_hashes @> (SELECT customer_value_hashes($1::text[]))',
        [['a']],
      ],
      ['tags isEmpty', { tags: { isEmpty: true } }, 'c.tag_hashes IS NULL', []],
      ['labels isEmpty: false', { labels: { isEmpty: false } }, 'c.label_hashes IS NOT NULL', []],
    ])('%s, hashed', (_name, filter, sql, values) => {
      expect(compile(filter, { hashedValues: true })).toEqual({ sql, values });
    });
  });

  describe('custom fields', () => {
    it.each<[string, unknown, string, unknown[]]>([
      [
        'TEXT eq (containment)',
        { key: 'note', eq: 'hi' },
        'c.custom @> jsonb_build_object($1::text, $2::jsonb)',
        ['note', '"hi"'],
      ],
      [
        'TEXT neq (no value passes)',
        { key: 'note', neq: 'hi' },
        'NOT (c.custom @> jsonb_build_object($1::text, $2::jsonb))',
        ['note', '"hi"'],
      ],
      [
        'TEXT notIn',
        { key: 'note', notIn: ['a'] },
        '((c.custom->>$1::text) IS NULL OR (c.custom->>$1::text) <> ALL($2::text[]))',
        ['note', ['a']],
      ],
      [
        'TEXT contains (case-insensitive, diacritics kept)',
        { key: 'note', contains: 'Đơn 5%' },
        '(c.custom->>$1::text) ILIKE $2',
        ['note', '%Đơn 5\\%%'],
      ],
      ['TEXT isEmpty', { key: 'note', isEmpty: true }, '(c.custom->>$1::text) IS NULL', ['note']],
      [
        'NUMBER eq',
        { key: 'size', eq: 42 },
        'c.custom @> jsonb_build_object($1::text, $2::jsonb)',
        ['size', '42'],
      ],
      ['NUMBER gt', { key: 'size', gt: 1.5 }, `${SIZE} > $2::numeric`, ['size', 1.5]],
      [
        'NUMBER between',
        { key: 'size', between: [-1, 1] },
        `${SIZE} BETWEEN $2::numeric AND $3::numeric`,
        ['size', -1, 1],
      ],
      ['NUMBER in', { key: 'size', in: [1, 2] }, `${SIZE} = ANY($2::numeric[])`, ['size', [1, 2]]],
      [
        'DATE lte',
        { key: 'since', lte: '2024-12-31' },
        `${SINCE} <= $2::date`,
        ['since', '2024-12-31'],
      ],
      [
        'DATE neq',
        { key: 'since', neq: '2024-12-31' },
        `${SINCE} IS DISTINCT FROM $2::date`,
        ['since', '2024-12-31'],
      ],
      [
        'BOOLEAN eq',
        { key: 'vip', eq: false },
        'c.custom @> jsonb_build_object($1::text, $2::jsonb)',
        ['vip', 'false'],
      ],
      [
        'BOOLEAN isNotEmpty',
        { key: 'vip', isNotEmpty: true },
        '(c.custom->>$1::text) IS NOT NULL',
        ['vip'],
      ],
      [
        'SELECT in',
        { key: 'tier', in: ['gold'] },
        '(c.custom->>$1::text) = ANY($2::text[])',
        ['tier', ['gold']],
      ],
      [
        'MULTI_SELECT containsAny',
        { key: 'likes', containsAny: ['tea', 'coffee'] },
        'jsonb_exists_any((c.custom->$1::text), $2::text[])',
        ['likes', ['tea', 'coffee']],
      ],
      [
        'MULTI_SELECT containsAll',
        { key: 'likes', containsAll: ['tea'] },
        'jsonb_exists_all((c.custom->$1::text), $2::text[])',
        ['likes', ['tea']],
      ],
      [
        'MULTI_SELECT isEmpty (missing, null or [])',
        { key: 'likes', isEmpty: true },
        "COALESCE((c.custom->$1::text), 'null'::jsonb) IN ('null'::jsonb, '[]'::jsonb)",
        ['likes'],
      ],
      [
        'TABLE isNotEmpty',
        { key: 'orders', isNotEmpty: true },
        "COALESCE((c.custom->$1::text), 'null'::jsonb) NOT IN ('null'::jsonb, '[]'::jsonb)",
        ['orders'],
      ],
    ])('%s', (_name, entry, sql, values) => {
      expect(compile({ custom: [entry] })).toEqual({ sql, values });
    });

    it('binds the key once per entry and ANDs entries and their operators', () => {
      expect(
        compile({
          custom: [
            { key: 'size', gte: 1, lt: 9 },
            { key: 'vip', eq: true },
          ],
        }),
      ).toEqual({
        sql: `(${SIZE} >= $2::numeric AND ${SIZE} < $3::numeric AND c.custom @> jsonb_build_object($4::text, $5::jsonb))`,
        values: ['size', 1, 9, 'vip', 'true'],
      });
    });

    it('treats an empty list of custom conditions as no condition', () => {
      expect(compile({ custom: [] }).sql).toBe('TRUE');
    });
  });

  describe('range', () => {
    it('compiles inclusive keyset bounds', () => {
      expect(
        compile({
          range: {
            from: { createdAt: new Date('2026-01-01T00:00:00.000Z'), id: ID1 },
            to: { createdAt: '2026-02-01T00:00:00Z', id: ID2 },
          },
        }),
      ).toEqual({
        sql: '((c.created_at, c.id) >= ($1::timestamptz, $2::uuid) AND (c.created_at, c.id) <= ($3::timestamptz, $4::uuid))',
        values: ['2026-01-01T00:00:00.000Z', ID1, '2026-02-01T00:00:00Z', ID2],
      });
    });

    it('takes one bound alone', () => {
      expect(compile({ range: { to: { createdAt: new Date(0), id: ID1 } } }).sql).toBe(
        '(c.created_at, c.id) <= ($1::timestamptz, $2::uuid)',
      );
    });
  });

  describe('and, or, not', () => {
    it('ANDs the fields of one object', () => {
      expect(compile({ city: { eq: 'Huế' }, gender: { eq: 'MALE' } })).toEqual({
        sql: '(c.city = $1 AND c.gender = $2)',
        values: ['Huế', 'MALE'],
      });
    });

    it('nests and / or with parentheses, one filter standing alone', () => {
      const filter = {
        or: [
          { city: { eq: 'Huế' } },
          { and: [{ gender: { eq: 'MALE' } }, { tags: { isEmpty: true } }] },
        ],
        and: [{ name: { eq: 'An' } }],
      };
      expect(compile(filter)).toEqual({
        sql: '((c.city = $1 OR (c.gender = $2 AND cardinality(c.tags) = 0)) AND c.name = $3)',
        values: ['Huế', 'MALE', 'An'],
      });
    });

    it('compiles not so that a customer without the value passes it', () => {
      expect(compile({ not: { city: { eq: 'Huế' } } }).sql).toBe(
        'NOT COALESCE(c.city = $1, FALSE)',
      );
      expect(compile({ not: { or: [{ city: { eq: 'A' } }, { city: { eq: 'B' } }] } }).sql).toBe(
        'NOT COALESCE((c.city = $1 OR c.city = $2), FALSE)',
      );
    });
  });

  describe('saved lists', () => {
    it("compiles a saved list's filter in place, in parentheses", () => {
      expect(compile({ inList: 'hanoi', gender: { isEmpty: true } })).toEqual({
        sql: '((c.city = $1) AND c.gender IS NULL)',
        values: ['Hà Nội'],
      });
    });

    it('follows a list that uses another list', () => {
      expect(compile({ not: { inList: 'hanoi-men' } }).sql).toBe(
        'NOT COALESCE((((c.city = $1) AND c.gender = $2)), FALSE)',
      );
    });

    it("reports errors inside a list's filter under inList", () => {
      expect(refusal({ and: [{ inList: 'broken' }] })).toEqual(
        bad('filter.and[0].inList.name.gt', 'operator "gt" is not valid for text field "name"'),
      );
    });
  });

  describe('limits', () => {
    it(`accepts exactly ${MAX_CONDITIONS} conditions and refuses one more`, () => {
      const or = (n: number) => ({ or: Array.from({ length: n }, () => ({ city: { eq: 'x' } })) });
      // Each element is two conditions: the nested filter and its operator.
      expect(compile(or(MAX_CONDITIONS / 2)).values).toHaveLength(MAX_CONDITIONS / 2);
      expect(refusal(or(MAX_CONDITIONS / 2 + 1))).toEqual(
        bad(
          `filter.or[${MAX_CONDITIONS / 2}]`,
          `the filter has more than ${MAX_CONDITIONS} conditions`,
        ),
      );
    });

    it('accepts 8 levels of nesting and refuses a 9th', () => {
      const nest = (n: number): unknown => (n === 0 ? { city: { eq: 'x' } } : { not: nest(n - 1) });
      expect(compile(nest(8)).sql).toMatch(/^(NOT COALESCE\(){8}c\.city = \$1(, FALSE\)){8}$/);
      expect(refusal(nest(9))).toEqual(
        bad(`filter${'.not'.repeat(9)}`, 'the filter is nested more than 8 levels deep'),
      );
    });

    it('honours a smaller maxDepth, counting saved lists as a level', () => {
      const filter = { and: [{ not: { inList: 'hanoi' } }] };
      expect(compile(filter, { maxDepth: 3 }).sql).toBe('NOT COALESCE((c.city = $1), FALSE)');
      expect(refusal(filter, { maxDepth: 2 })).toEqual(
        bad('filter.and[0].not.inList', 'the filter is nested more than 2 levels deep'),
      );
    });
  });

  describe('refuses', () => {
    it.each<[string, unknown, string, unknown]>([
      ['a filter that is not an object', 'city = 1', 'filter', '"city = 1" is not a filter object'],
      ['an unknown field', { size: { eq: 1 } }, 'filter.size', 'unknown filter field "size"'],
      [
        'an unknown field even when null',
        { size: null },
        'filter.size',
        'unknown filter field "size"',
      ],
      [
        'a prototype key',
        JSON.parse('{"__proto__": {}}'),
        'filter.__proto__',
        'unknown filter field "__proto__"',
      ],
      [
        'an operator the field lacks',
        { and: [{}, { name: { gt: 'a' } }] },
        'filter.and[1].name.gt',
        'operator "gt" is not valid for text field "name"',
      ],
      [
        'a prototype operator',
        { name: { constructor: 'a' } },
        'filter.name.constructor',
        'operator "constructor" is not valid for text field "name"',
      ],
      [
        'contains on an enum',
        { gender: { contains: 'M' } },
        'filter.gender.contains',
        'operator "contains" is not valid for enum field "gender"',
      ],
      [
        'a field filter that is not an object',
        { city: 'Huế' },
        'filter.city',
        '"Huế" is not an object',
      ],
      [
        'a field filter without operators',
        { city: { eq: null } },
        'filter.city',
        'the filter on "city" has no operator',
      ],
      ['a value of the wrong type', { city: { eq: 5 } }, 'filter.city.eq', '5 is not a string'],
      [
        'isEmpty that is not a boolean',
        { city: { isEmpty: 'yes' } },
        'filter.city.isEmpty',
        '"yes" is not a boolean',
      ],
      [
        'a list that is not a list',
        { city: { in: 'Huế' } },
        'filter.city.in',
        '"Huế" is not a list',
      ],
      ['an empty list', { city: { in: [] } }, 'filter.city.in', 'the list is empty'],
      [
        '1001 values',
        { tags: { containsAny: Array(1001).fill('a') } },
        'filter.tags.containsAny',
        'the filter has 1001 list values in all; at most 1000 allowed',
      ],
      [
        'a bad list item',
        { city: { notIn: ['a', null] } },
        'filter.city.notIn[1]',
        'null is not a string',
      ],
      [
        'a search for nothing',
        { name: { contains: ' ̀ ' } },
        'filter.name.contains',
        expect.stringContaining('has nothing to search for'),
      ],
      [
        'an empty email search',
        { email: { startsWith: '' } },
        'filter.email.startsWith',
        '"" has nothing to search for',
      ],
      [
        'an impossible phone',
        { phone: { in: ['0912345678', '123'] } },
        'filter.phone.in[1]',
        '"123" is not a valid phone number',
      ],
      [
        'a phone search under 3 digits',
        { phone: { contains: '0-9' } },
        'filter.phone.contains',
        '"0-9" has fewer than 3 digits',
      ],
      ['a malformed id', { id: { eq: 'abc' } }, 'filter.id.eq', '"abc" is not a valid id'],
      [
        'a date that is no calendar day',
        { birthday: { eq: '2023-02-29' } },
        'filter.birthday.eq',
        '"2023-02-29" is not a date (YYYY-MM-DD)',
      ],
      [
        'a date in another format',
        { birthday: { gt: '01/02/2023' } },
        'filter.birthday.gt',
        '"01/02/2023" is not a date (YYYY-MM-DD)',
      ],
      [
        'a date-time without a zone',
        { createdAt: { gt: '2026-01-01T00:00:00' } },
        'filter.createdAt.gt',
        '"2026-01-01T00:00:00" is not an ISO-8601 date-time with a time zone',
      ],
      [
        'an impossible date-time',
        { createdAt: { gt: '2026-02-30T00:00:00Z' } },
        'filter.createdAt.gt',
        '"2026-02-30T00:00:00Z" is not an ISO-8601 date-time with a time zone',
      ],
      [
        'an invalid Date',
        { updatedAt: { eq: new Date('nope') } },
        'filter.updatedAt.eq',
        'the date-time is not a valid date',
      ],
      [
        'a date-time as a number',
        { updatedAt: { eq: 0 } },
        'filter.updatedAt.eq',
        '0 is not a date-time',
      ],
      [
        'between with one value',
        { birthday: { between: ['2020-01-01'] } },
        'filter.birthday.between',
        '"between" needs exactly 2 values, got ["2020-01-01"]',
      ],
      [
        'between reversed',
        { birthday: { between: ['2020-02-01', '2020-01-01'] } },
        'filter.birthday.between',
        '"between" bounds are reversed: "2020-02-01" is after "2020-01-01"',
      ],
      [
        'between reversed instants',
        { createdAt: { between: ['2026-01-01T06:00:00+07:00', '2025-12-31T22:00:00Z'] } },
        'filter.createdAt.between',
        '"between" bounds are reversed: "2026-01-01T06:00:00+07:00" is after "2025-12-31T22:00:00Z"',
      ],
      [
        'a bad between item',
        { birthday: { between: ['2020-01-01', 'soon'] } },
        'filter.birthday.between[1]',
        '"soon" is not a date (YYYY-MM-DD)',
      ],
      [
        'an unknown enum value',
        { type: { in: ['LEAD', 'lead'] } },
        'filter.type.in[1]',
        '"lead" is not one of VISITOR, LEAD, CUSTOMER',
      ],
      ['an empty and', { and: [] }, 'filter.and', '"and" needs at least one filter'],
      ['an empty or', { not: { or: [] } }, 'filter.not.or', '"or" needs at least one filter'],
      [
        'an or that is not a list',
        { or: { city: { eq: 'x' } } },
        'filter.or',
        '{"city":{"eq":"x"}} is not a list of filters',
      ],
      [
        'an and item that is not an object',
        { and: [{}, 3] },
        'filter.and[1]',
        '3 is not a filter object',
      ],
      [
        'custom that is not a list',
        { custom: { key: 'note' } },
        'filter.custom',
        '{"key":"note"} is not a list',
      ],
      [
        'a custom entry without key',
        { custom: [{ eq: 'x' }] },
        'filter.custom[0].key',
        'a custom field filter needs a "key"',
      ],
      [
        'an unknown custom field',
        {
          custom: [
            { key: 'note', eq: 'x' },
            { key: 'size2', eq: 1 },
          ],
        },
        'filter.custom[1].key',
        'unknown custom field "size2"',
      ],
      [
        'a custom entry without operator',
        { custom: [{ key: 'note' }] },
        'filter.custom[0]',
        'the filter on custom field "note" has no operator',
      ],
      [
        'an operator the custom type lacks',
        { custom: [{ key: 'vip', gt: true }] },
        'filter.custom[0].gt',
        'operator "gt" is not valid for a BOOLEAN custom field "vip"',
      ],
      [
        'eq on a TABLE',
        { custom: [{ key: 'orders', eq: 'x' }] },
        'filter.custom[0].eq',
        'operator "eq" is not valid for a TABLE custom field "orders"',
      ],
      [
        'a numeric string for a NUMBER',
        { custom: [{ key: 'size', eq: 'abc' }] },
        'filter.custom[0].eq',
        '"abc" is not a number',
      ],
      [
        'a non-finite number',
        { custom: [{ key: 'size', lt: Infinity }] },
        'filter.custom[0].lt',
        'Infinity is not a number',
      ],
      [
        'a string for a BOOLEAN',
        { custom: [{ key: 'vip', eq: 'true' }] },
        'filter.custom[0].eq',
        '"true" is not a boolean',
      ],
      [
        'a value outside a SELECT',
        { custom: [{ key: 'tier', eq: 'bronze' }] },
        'filter.custom[0].eq',
        '"bronze" is not an option of custom field "tier"',
      ],
      [
        'a value outside a MULTI_SELECT',
        { custom: [{ key: 'likes', containsAll: ['tea', 'beer'] }] },
        'filter.custom[0].containsAll[1]',
        '"beer" is not an option of custom field "likes"',
      ],
      [
        'a bad custom DATE',
        { custom: [{ key: 'since', eq: '2024-13-01' }] },
        'filter.custom[0].eq',
        '"2024-13-01" is not a date (YYYY-MM-DD)',
      ],
      [
        'a missing saved list',
        { and: [{ inList: 'nope' }] },
        'filter.and[0].inList',
        'no saved list nope',
      ],
      ['a saved list id that is not a string', { inList: 7 }, 'filter.inList', '7 is not a string'],
      [
        'a list including itself',
        { inList: 'self' },
        'filter.inList.inList',
        'saved list self includes itself',
      ],
      [
        'lists including each other',
        { inList: 'ping' },
        'filter.inList.or[0].inList.inList',
        'saved list ping includes itself',
      ],
      [
        'an unknown range bound',
        { range: { after: {} } },
        'filter.range.after',
        '"after" is not a bound of a range; use "from" or "to"',
      ],
      ['an empty range', { range: {} }, 'filter.range', 'the range has neither "from" nor "to"'],
      [
        'a position without id',
        { range: { from: { createdAt: new Date(0) } } },
        'filter.range.from.id',
        'a position needs "id"',
      ],
      [
        'a position with extra keys',
        { range: { to: { createdAt: new Date(0), id: ID1, name: 'x' } } },
        'filter.range.to.name',
        '"name" is not part of a position',
      ],
      [
        'a position with a bad id',
        { range: { to: { createdAt: new Date(0), id: 'x' } } },
        'filter.range.to.id',
        '"x" is not a valid id',
      ],
    ])('%s', (_name, filter, field, message) => {
      expect(refusal(filter)).toEqual(bad(field, message));
    });

    it('names paths from the root the caller gives', () => {
      expect(refusal({ or: [{ city: { gt: 'x' } }] }, { root: 'input.where' }).field).toBe(
        'input.where.or[0].city.gt',
      );
    });

    it('leaves the parameters as they were', () => {
      const params = new SqlParams(['ws']);
      expect(() =>
        compileFilter({ city: { eq: 'a' }, name: { eq: 5 } } as never, context(), params),
      ).toThrow(GraphQLError);
      expect(params.values).toEqual(['ws']);
    });

    it('cuts a huge value short in the message', () => {
      expect(refusal({ city: { in: 'x'.repeat(10_000) } }).message.length).toBeLessThan(100);
    });
  });
});

describe('listIdsIn', () => {
  it('finds every inList id, nested ones included, once each', () => {
    const filter = {
      inList: 'a',
      and: [{ or: [{ inList: 'b' }, { not: { inList: 'c' } }] }, { inList: 'a' }],
      not: { inList: 'd' },
    };
    expect(listIdsIn(filter).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('skips malformed parts rather than failing', () => {
    expect(listIdsIn({ inList: 3, and: 'x', or: [null, { inList: 'e' }] } as never)).toEqual(['e']);
    expect(listIdsIn(null)).toEqual([]);
  });
});

describe('loadSavedLists', () => {
  it('loads lists used by lists, asking for each id once, and stops on cycles', async () => {
    const asked: string[][] = [];
    const load = async (ids: string[]) => {
      asked.push(ids);
      return new Map(ids.filter((id) => LISTS.has(id)).map((id) => [id, LISTS.get(id)!]));
    };
    const lists = await loadSavedLists({ or: [{ inList: 'hanoi-men' }, { inList: 'ping' }] }, load);
    expect(asked).toEqual([
      ['hanoi-men', 'ping'],
      ['hanoi', 'pong'],
    ]);
    expect([...lists.keys()].sort()).toEqual(['hanoi', 'hanoi-men', 'ping', 'pong']);
  });
});

/** A small seeded PRNG (mulberry32), so every run checks the same filters. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)];
const some = <T>(r: Random, make: (r: Random) => T): T[] =>
  Array.from({ length: 1 + Math.floor(r() * 3) }, () => make(r));

/** Values meant to break SQL if they ever leaked into its text. */
const TEXTS = ["o'neil", 'a) OR (TRUE', 'Đức $1', '50%_off', 'Hà Nội', 'back\\slash'];
const text = (r: Random) => pick(r, TEXTS);
const texts = (r: Random) => some(r, text);
const bool = (r: Random) => r() < 0.5;
const date = (r: Random) => pick(r, ['1990-05-01', '2000-02-29', '2024-12-31']);
const instant = (r: Random) => pick(r, [new Date(0), '2026-01-01T07:00:00+07:00']);
const phone = (r: Random) => pick(r, ['0912345678', '+84 987 654 321', '0084 912 345 678']);

const stringOps = {
  eq: text,
  neq: text,
  in: texts,
  notIn: texts,
  contains: () => 'ng',
  startsWith: text,
  isEmpty: bool,
  isNotEmpty: bool,
};
const FIELDS: Record<string, Record<string, (r: Random) => unknown>> = {
  name: stringOps,
  email: stringOps,
  address: stringOps,
  timezone: stringOps,
  externalId: stringOps,
  id: { eq: () => ID1, neq: () => ID2, in: () => [ID1, ID2], notIn: () => [ID2] },
  phone: {
    eq: phone,
    neq: phone,
    in: (r) => some(r, phone),
    contains: () => '0912',
    isEmpty: bool,
  },
  birthday: {
    eq: date,
    notIn: (r) => some(r, date),
    lt: date,
    gte: date,
    between: () => ['1990-01-01', '2000-01-01'],
    isEmpty: bool,
  },
  createdAt: {
    neq: instant,
    in: (r) => some(r, instant),
    gt: instant,
    between: () => [new Date(0), new Date(1)],
  },
  gender: { eq: (r) => pick(r, ['MALE', 'FEMALE']), notIn: () => ['OTHER'], isNotEmpty: bool },
  group: { in: () => ['PRIORITY'], isEmpty: bool },
  tags: { containsAny: texts, containsAll: texts, isEmpty: bool },
  orderCount: { eq: () => 0, notIn: () => [1, 2], between: () => [1, 3] },
  totalSpent: { gt: (r) => Math.floor(r() * 5_000_000), lte: () => 0 },
  lastOrderAt: {
    lt: instant,
    neq: instant,
    between: () => [new Date(0), new Date(1)],
    isEmpty: bool,
  },
};
const CUSTOM: Record<string, Record<string, (r: Random) => unknown>> = {
  note: { eq: text, in: texts, contains: () => "it's", isEmpty: bool },
  size: { neq: (r) => r() * 100, notIn: () => [1, 2], between: () => [1, 2], gt: () => -3 },
  since: { lt: date, in: (r) => some(r, date) },
  vip: { eq: bool, isNotEmpty: bool },
  tier: { neq: () => 'gold', notIn: () => ['silver'] },
  likes: { containsAny: () => ['tea'], isEmpty: bool },
  orders: { isEmpty: bool },
};

function operators(
  r: Random,
  ops: Record<string, (r: Random) => unknown>,
): Record<string, unknown> {
  const chosen: Record<string, unknown> = {};
  for (const op of some(r, (rr) => pick(rr, Object.keys(ops)))) chosen[op] = ops[op](r);
  return chosen;
}

/** One to three leaf conditions, and below depth 3 often an and / or / not around more. */
function randomFilter(r: Random, depth: number): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const key of some(r, (rr) =>
    pick(rr, [...Object.keys(FIELDS), 'custom', 'inList', 'range']),
  )) {
    if (key === 'custom') {
      filter.custom = some(r, (rr) => {
        const field = pick(rr, Object.keys(CUSTOM));
        return { key: field, ...operators(rr, CUSTOM[field]) };
      });
    } else if (key === 'inList') {
      filter.inList = pick(r, ['hanoi', 'hanoi-men']);
    } else if (key === 'range') {
      filter.range = {
        from: { createdAt: instant(r), id: ID1 },
        to: bool(r) ? null : { createdAt: new Date(), id: ID2 },
      };
    } else {
      filter[key] = operators(r, FIELDS[key]);
    }
  }
  if (depth < 3 && r() < 0.6) {
    const how = pick(r, ['and', 'or', 'not']);
    filter[how] =
      how === 'not' ? randomFilter(r, depth + 1) : some(r, (rr) => randomFilter(rr, depth + 1));
  }
  return filter;
}

/** Whether parentheses outside string literals balance, never closing more than opened. */
function balanced(sql: string): boolean {
  let depth = 0;
  for (const char of sql.replace(/'(?:[^']|'')*'/g, "''")) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (depth < 0) return false;
  }
  return depth === 0;
}

describe('compileFilter on seeded random filters', () => {
  it('has a parenthesis check that sees through string literals', () => {
    expect([balanced('(a)'), balanced("a = ')'"), balanced('(a'), balanced(')(')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('produces balanced SQL whose placeholders are exactly $1..$n, values never inlined', () => {
    const r = prng(20260101);
    const cases = 300;
    for (let i = 0; i < cases; i++) {
      const filter = randomFilter(r, 0);
      const params = new SqlParams();
      const sql = compileFilter(filter as CustomerFilterInput, context(), params);
      const used = new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
      const highest = used.size === 0 ? 0 : Math.max(...used);
      const leaked = TEXTS.filter((value) => sql.includes(value));
      expect({ i, balanced: balanced(sql), highest, used: used.size, leaked }).toEqual({
        i,
        balanced: true,
        highest: params.values.length,
        used: params.values.length,
        leaked: [],
      });
    }
  });
});
