import { thrownBy } from '@customer-graph/runtime/testing';
import {
  CUSTOM_FIELD_LIMITS,
  limitFor,
  planAllows,
  validateDefinition,
  validateValue,
  validateValues,
} from './custom-field.values';
import type {
  CustomFieldDefinition,
  CustomFieldDefinitionInput,
  CustomFieldType,
  Plan,
} from './custom-field.values';

/** What `run` was refused with: the error's code, field and message. */
function rejection(run: () => unknown): { code: unknown; field: unknown; message: string } {
  const error = thrownBy(run);
  return { code: error.extensions.code, field: error.extensions.field, message: error.message };
}

/** A BAD_USER_INPUT about `field`, whose message contains or matches `message`. */
function bad(field: string, message?: string | RegExp): Record<string, unknown> {
  if (message === undefined) return { code: 'BAD_USER_INPUT', field };
  const text =
    typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message);
  return { code: 'BAD_USER_INPUT', field, message: text };
}

function def(
  type: CustomFieldType,
  extra: Partial<CustomFieldDefinition> = {},
): CustomFieldDefinition {
  return { key: 'f', label: 'F', type, options: [], columns: [], ...extra };
}

const SIZE = def('SELECT', { options: ['S', 'M', 'L'] });
const TAGS = def('MULTI_SELECT', { options: ['Sỉ', 'Lẻ', 'VIP'] });
const MEASURES = def('TABLE', {
  columns: [
    { key: 'name', label: 'Tên', type: 'TEXT' },
    { key: 'waist', label: 'Eo', type: 'NUMBER' },
    { key: 'on', label: 'Ngày đo', type: 'DATE' },
    { key: 'ok', label: 'Đã duyệt', type: 'BOOLEAN' },
    { key: 'fit', label: 'Dáng', type: 'SELECT', options: ['Ôm', 'Suông'] },
  ],
});

describe('validateDefinition', () => {
  it('normalises a TEXT definition and fills empty options and columns', () => {
    expect(validateDefinition({ key: 'note', label: '  Ghi chú ', type: 'TEXT' })).toEqual({
      key: 'note',
      label: 'Ghi chú',
      type: 'TEXT',
      options: [],
      columns: [],
    });
  });

  it('NFC-normalises labels and options', () => {
    const decomposed = 'Ghi chu\u0301'; // "ú" as u + combining acute
    const result = validateDefinition({
      key: 'kind',
      label: decomposed,
      type: 'SELECT',
      options: ['Ca\u0300 phê', ' Trà '],
    });
    expect(result.label).toBe('Ghi chú');
    expect(result.options).toEqual(['Cà phê', 'Trà']);
  });

  it.each(['a', 'size_2', 'x'.repeat(40)])('accepts the key %j', (key) => {
    expect(validateDefinition({ key, label: 'L', type: 'TEXT' }).key).toBe(key);
  });

  it.each(['', 'Size', '2size', '_size', 'size-2', 'size 2', 'x'.repeat(41), 'kích_cỡ'])(
    'refuses the key %j',
    (key) => {
      expect(rejection(() => validateDefinition({ key, label: 'L', type: 'TEXT' }))).toMatchObject(
        bad('input.key'),
      );
    },
  );

  it.each(['', '   ', 'x'.repeat(81)])('refuses the label %j', (label) => {
    expect(
      rejection(() => validateDefinition({ key: 'k', label, type: 'TEXT' }, 'field')),
    ).toMatchObject(bad('field.label', 'must be 1 to 80 characters'));
  });

  it('counts label length in characters, so 80 Vietnamese letters fit', () => {
    const label = 'ệ'.repeat(80);
    expect(validateDefinition({ key: 'k', label, type: 'TEXT' }).label).toBe(label);
  });

  it('refuses an unknown type', () => {
    const input = { key: 'k', label: 'L', type: 'COLOR' } as unknown as CustomFieldDefinitionInput;
    expect(rejection(() => validateDefinition(input))).toMatchObject(bad('input.type'));
  });

  it.each<[CustomFieldType, string[] | null | undefined]>([
    ['SELECT', undefined],
    ['SELECT', null],
    ['MULTI_SELECT', []],
    ['SELECT', Array.from({ length: 51 }, (_, i) => `o${i}`)],
  ])('%s with options %j needs 1 to 50 options', (type, options) => {
    expect(
      rejection(() => validateDefinition({ key: 'k', label: 'L', type, options })),
    ).toMatchObject(bad('input.options', 'needs 1 to 50 options'));
  });

  it('accepts exactly 50 options', () => {
    const options = Array.from({ length: 50 }, (_, i) => `o${i}`);
    expect(validateDefinition({ key: 'k', label: 'L', type: 'SELECT', options }).options).toEqual(
      options,
    );
  });

  it('refuses options that differ only in case, naming the second one', () => {
    expect(
      rejection(() =>
        validateDefinition({ key: 'k', label: 'L', type: 'SELECT', options: ['Đỏ', 'xanh', 'ĐỎ'] }),
      ),
    ).toMatchObject(bad('input.options[2]', '"ĐỎ" is listed twice'));
  });

  it.each([
    ['   ', 'input.options[1]'],
    ['x'.repeat(81), 'input.options[1]'],
  ])('refuses the option %j', (option, field) => {
    expect(
      rejection(() =>
        validateDefinition({ key: 'k', label: 'L', type: 'SELECT', options: ['a', option] }),
      ),
    ).toMatchObject(bad(field));
  });

  it.each<CustomFieldType>(['TEXT', 'NUMBER', 'DATE', 'BOOLEAN', 'TABLE'])(
    '%s must not have options',
    (type) => {
      const columns = type === 'TABLE' ? [{ key: 'c', label: 'C', type: 'TEXT' as const }] : null;
      expect(
        rejection(() =>
          validateDefinition({ key: 'k', label: 'L', type, options: ['a'], columns }),
        ),
      ).toMatchObject(bad('input.options', 'only SELECT and MULTI_SELECT fields have options'));
    },
  );

  it('lets a type without options take null or [] for them', () => {
    expect(
      validateDefinition({ key: 'k', label: 'L', type: 'NUMBER', options: [], columns: null }),
    ).toMatchObject({ options: [], columns: [] });
  });

  it('normalises a TABLE definition; only SELECT columns keep options', () => {
    const result = validateDefinition({
      key: 'measures',
      label: 'Số đo',
      type: 'TABLE',
      columns: [
        { key: 'waist', label: ' Eo ', type: 'NUMBER' },
        { key: 'fit', label: 'Dáng', type: 'SELECT', options: [' Ôm', 'Suông'] },
      ],
    });
    expect(result.columns).toEqual([
      { key: 'waist', label: 'Eo', type: 'NUMBER' },
      { key: 'fit', label: 'Dáng', type: 'SELECT', options: ['Ôm', 'Suông'] },
    ]);
  });

  it.each([
    [null, 'input.columns', 'needs 1 to 10 columns'],
    [[], 'input.columns', 'needs 1 to 10 columns'],
    [
      Array.from({ length: 11 }, (_, i) => ({ key: `c${i}`, label: 'C', type: 'TEXT' })),
      'input.columns',
      'needs 1 to 10 columns',
    ],
    [
      [
        { key: 'a', label: 'A', type: 'TEXT' },
        { key: 'a', label: 'B', type: 'NUMBER' },
      ],
      'input.columns[1].key',
      'column key "a" is used twice',
    ],
    [[{ key: 'A', label: 'A', type: 'TEXT' }], 'input.columns[0].key', /lowercase/],
    [[{ key: 'a', label: '', type: 'TEXT' }], 'input.columns[0].label', /1 to 80/],
    [[{ key: 'a', label: 'A', type: 'TABLE' }], 'input.columns[0].type', /one of/],
    [[{ key: 'a', label: 'A', type: 'MULTI_SELECT' }], 'input.columns[0].type', /one of/],
    [[{ key: 'a', label: 'A', type: 'SELECT' }], 'input.columns[0].options', /1 to 50 options/],
    [
      [{ key: 'a', label: 'A', type: 'TEXT', options: ['x'] }],
      'input.columns[0].options',
      'only SELECT columns have options',
    ],
    [['a'], 'input.columns[0]', /must be a column/],
  ])('refuses the columns %j', (columns, field, message) => {
    const input = { key: 'k', label: 'L', type: 'TABLE', columns } as CustomFieldDefinitionInput;
    expect(rejection(() => validateDefinition(input))).toMatchObject(bad(field, message));
  });

  it.each<CustomFieldType>(['TEXT', 'SELECT', 'MULTI_SELECT'])(
    '%s must not have columns',
    (type) => {
      expect(
        rejection(() =>
          validateDefinition({
            key: 'k',
            label: 'L',
            type,
            options: type === 'TEXT' ? null : ['a'],
            columns: [{ key: 'c', label: 'C', type: 'TEXT' }],
          }),
        ),
      ).toMatchObject(bad('input.columns', 'only TABLE fields have columns'));
    },
  );
});

describe('validateValue', () => {
  it.each<CustomFieldType>([
    'TEXT',
    'NUMBER',
    'DATE',
    'BOOLEAN',
    'SELECT',
    'MULTI_SELECT',
    'TABLE',
  ])('null and undefined clear a %s value', (type) => {
    expect(validateValue(def(type), null, 'v')).toBeNull();
    expect(validateValue(def(type), undefined, 'v')).toBeNull();
  });

  describe('TEXT', () => {
    it('trims and NFC-normalises', () => {
      expect(validateValue(def('TEXT'), '  Kha\u0301ch quen  ', 'v')).toBe('Khách quen');
    });

    it.each(['', '  \n\t '])('stores %j as null', (text) => {
      expect(validateValue(def('TEXT'), text, 'v')).toBeNull();
    });

    it('accepts 2,000 characters and refuses 2,001', () => {
      expect(validateValue(def('TEXT'), 'ờ'.repeat(2000), 'v')).toBe('ờ'.repeat(2000));
      expect(rejection(() => validateValue(def('TEXT'), 'a'.repeat(2001), 'v'))).toMatchObject(
        bad('v', /2000/),
      );
    });

    it.each([12, true, ['a'], { a: 1 }])('refuses the non-string %j', (value) => {
      expect(rejection(() => validateValue(def('TEXT'), value, 'v'))).toMatchObject(
        bad('v', 'must be text'),
      );
    });
  });

  describe('NUMBER', () => {
    it.each([0, -3.5, 1e21, Number.MAX_SAFE_INTEGER])('accepts %p', (value) => {
      expect(validateValue(def('NUMBER'), value, 'v')).toBe(value);
    });

    it('stores -0 as 0', () => {
      expect(Object.is(validateValue(def('NUMBER'), -0, 'v'), 0)).toBe(true);
    });

    it.each([NaN, Infinity, -Infinity, '12', '', false])('refuses %p', (value) => {
      expect(rejection(() => validateValue(def('NUMBER'), value, 'v'))).toMatchObject(
        bad('v', 'must be a finite number'),
      );
    });
  });

  describe('DATE', () => {
    it.each(['2024-02-29', '2000-02-29', '1999-12-31', '0001-01-01'])('accepts %s', (date) => {
      expect(validateValue(def('DATE'), date, 'v')).toBe(date);
    });

    it.each([
      '2023-02-29', // not a leap year
      '1900-02-29', // century, not a leap year
      '2024-04-31',
      '2024-13-01',
      '2024-00-10',
      '2024-01-00',
      '0000-01-01',
      '2024-1-5',
      '05/01/2024',
      '2024-01-05T00:00:00Z',
      ' 2024-01-05',
      '',
      20240105,
    ])('refuses %p', (value) => {
      expect(rejection(() => validateValue(def('DATE'), value, 'v'))).toMatchObject(
        bad('v', /YYYY-MM-DD/),
      );
    });
  });

  describe('BOOLEAN', () => {
    it.each([true, false])('accepts %p', (value) => {
      expect(validateValue(def('BOOLEAN'), value, 'v')).toBe(value);
    });

    it.each(['true', 0, 1, 'yes'])('refuses %p', (value) => {
      expect(rejection(() => validateValue(def('BOOLEAN'), value, 'v'))).toMatchObject(
        bad('v', 'must be true or false'),
      );
    });
  });

  describe('SELECT', () => {
    it.each([
      ['M', 'M'],
      [' L ', 'L'],
      ['s', 'S'],
    ])('%j is the option %j', (value, option) => {
      expect(validateValue(SIZE, value, 'v')).toBe(option);
    });

    it('prefers an exact match over a case-insensitive one', () => {
      const both = def('SELECT', { options: ['vip', 'VIP'] });
      expect(validateValue(both, 'VIP', 'v')).toBe('VIP');
      expect(validateValue(both, 'vip', 'v')).toBe('vip');
      expect(validateValue(both, 'Vip', 'v')).toBe('vip');
    });

    it('matches Vietnamese options ignoring case and composition', () => {
      expect(validateValue(TAGS, ['SI\u0309'], 'v')).toEqual(['Sỉ']);
    });

    it.each(['XL', '', 3, ['S']])('refuses %j, listing the options', (value) => {
      expect(rejection(() => validateValue(SIZE, value, 'v'))).toMatchObject(bad('v', /options/));
    });

    it('names the value and the options in the message', () => {
      expect(thrownBy(() => validateValue(SIZE, 'XL', 'v')).message).toBe(
        '"XL" is not one of the options: S, M, L',
      );
    });
  });

  describe('MULTI_SELECT', () => {
    it('deduplicates and stores in the options order', () => {
      expect(validateValue(TAGS, ['VIP', 'sỉ', 'Sỉ', ' vip '], 'v')).toEqual(['Sỉ', 'VIP']);
    });

    it('stores [] as null', () => {
      expect(validateValue(TAGS, [], 'v')).toBeNull();
    });

    it('names the bad entry by its index', () => {
      expect(rejection(() => validateValue(TAGS, ['VIP', 'Buôn'], 'in.tags'))).toMatchObject(
        bad('in.tags[1]'),
      );
    });

    it.each(['VIP', { a: 1 }])('refuses the non-list %j', (value) => {
      expect(rejection(() => validateValue(TAGS, value, 'v'))).toMatchObject(
        bad('v', 'must be a list of options'),
      );
    });

    it('refuses null inside the list', () => {
      expect(rejection(() => validateValue(TAGS, ['VIP', null], 'v'))).toMatchObject(bad('v[1]'));
    });
  });

  describe('TABLE', () => {
    it('validates every cell and fills missing cells with null', () => {
      expect(
        validateValue(
          MEASURES,
          [{ name: ' Áo dài ', waist: 62, on: '2024-03-08', ok: true, fit: 'ôm' }, { waist: 60 }],
          'v',
        ),
      ).toEqual([
        { name: 'Áo dài', waist: 62, on: '2024-03-08', ok: true, fit: 'Ôm' },
        { name: null, waist: 60, on: null, ok: null, fit: null },
      ]);
    });

    it('stores [] as null', () => {
      expect(validateValue(MEASURES, [], 'v')).toBeNull();
    });

    it('accepts 100 rows and refuses 101', () => {
      const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ waist: i }));
      expect(validateValue(MEASURES, rows(100), 'v')).toHaveLength(100);
      expect(rejection(() => validateValue(MEASURES, rows(101), 'v'))).toMatchObject(
        bad('v', 'must have at most 100 rows'),
      );
    });

    it('names a bad cell by row and column', () => {
      expect(
        rejection(() =>
          validateValue(MEASURES, [{ waist: 1 }, { waist: '62' }], 'input.custom.measures'),
        ),
      ).toMatchObject(bad('input.custom.measures[1].waist', 'must be a finite number'));
    });

    it('refuses an unknown column key', () => {
      expect(rejection(() => validateValue(MEASURES, [{ waist: 1, hip: 90 }], 'v'))).toMatchObject(
        bad('v[0].hip', 'unknown column "hip"'),
      );
    });

    it('does not read inherited properties as cells', () => {
      const table = def('TABLE', {
        columns: [{ key: 'constructor', label: 'C', type: 'TEXT' }],
      });
      expect(validateValue(table, [{}], 'v')).toEqual([{ constructor: null }]);
    });

    it.each([
      ['a row', 'v'],
      [['a row'], 'v[0]'],
      [[null], 'v[0]'],
      [[[]], 'v[0]'],
    ])('refuses the malformed table %j', (value, field) => {
      expect(rejection(() => validateValue(MEASURES, value, 'v'))).toMatchObject(bad(field));
    });
  });
});

describe('validateValues', () => {
  const defs = new Map<string, CustomFieldDefinition>([
    ['size', { ...SIZE, key: 'size' }],
    ['note', { ...def('TEXT'), key: 'note' }],
    ['measures', { ...MEASURES, key: 'measures' }],
  ]);

  it('validates each value under its own key, keeping nulls to clear', () => {
    expect(validateValues(defs, { size: 'm', note: '', measures: null })).toEqual({
      size: 'M',
      note: null,
      measures: null,
    });
  });

  it('returns only the keys that were given', () => {
    expect(validateValues(defs, { note: 'x' })).toEqual({ note: 'x' });
  });

  it('refuses an unknown key, naming it under the field', () => {
    expect(rejection(() => validateValues(defs, { size: 'M', colour: 'red' }))).toMatchObject(
      bad('input.custom.colour', 'unknown custom field "colour"'),
    );
  });

  it('does not mistake inherited names for definitions', () => {
    const values = JSON.parse('{"__proto__": 1}') as Record<string, unknown>;
    expect(rejection(() => validateValues(defs, values))).toMatchObject(
      bad('input.custom.__proto__'),
    );
  });

  it('names table cells as <field>.<key>[row].<col>', () => {
    expect(
      rejection(() => validateValues(defs, { measures: [{ on: '2024-02-30' }] }, 'values')),
    ).toMatchObject(bad('values.measures[0].on'));
  });

  it('refuses values that are not an object', () => {
    expect(
      rejection(() => validateValues(defs, ['M'] as unknown as Record<string, unknown>)),
    ).toMatchObject(bad('input.custom'));
  });
});

describe('limits and plans', () => {
  it.each<[CustomFieldType, number]>([
    ['TEXT', 10],
    ['NUMBER', 10],
    ['DATE', 10],
    ['BOOLEAN', 10],
    ['SELECT', 10],
    ['MULTI_SELECT', 10],
    ['TABLE', 5],
  ])('a workspace may define %s fields up to %i', (type, limit) => {
    expect(limitFor(type)).toBe(limit);
  });

  it('exposes the limits', () => {
    expect(CUSTOM_FIELD_LIMITS).toEqual({ perType: 10, table: 5 });
  });

  it.each<[Plan, CustomFieldType, boolean]>([
    ['FREE', 'TEXT', false],
    ['FREE', 'TABLE', false],
    ['TRIAL', 'TEXT', true],
    ['TRIAL', 'MULTI_SELECT', true],
    ['TRIAL', 'TABLE', false],
    ['ADVANCED', 'DATE', true],
    ['ADVANCED', 'TABLE', false],
    ['PREMIUM', 'BOOLEAN', true],
    ['PREMIUM', 'TABLE', true],
  ])('%s allows %s: %p', (plan, type, allowed) => {
    expect(planAllows(plan, type)).toBe(allowed);
  });
});
