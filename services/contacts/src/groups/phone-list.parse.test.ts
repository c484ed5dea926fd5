import { toE164 } from '@customer-graph/runtime';
import { thrownBy } from '@customer-graph/runtime/testing';
import { createPhoneMemo } from '../filter/phone-memo';
import {
  MAX_PHONE_LIST,
  normaliseInChunks,
  parsePhoneList,
  readPhoneEntries,
} from './phone-list.parse';

/** A distinct valid mobile number for each i below 100,000,000. */
function mobile(i: number): string {
  return `09${String(i).padStart(8, '0')}`;
}

function e164Of(i: number): string {
  return `+84${mobile(i).slice(1)}`;
}

const csv = (...lines: string[]) => lines.join('\n');

describe('parsePhoneList: the input', () => {
  it.each([
    [{}],
    [{ phones: null, csv: null }],
    [{ phones: ['0912345678'], csv: 'phone\n0912345678' }],
    [{ phones: [], csv: '' }],
  ])('refuses %j: exactly one of phones or csv, naming phones', (input) => {
    const error = thrownBy(() => parsePhoneList(input));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'phones' });
    expect(error.message).toBe('give exactly one of phones or csv');
  });

  it('refuses more than 100,000 listed numbers, with the count and the cap', () => {
    const phones = Array.from({ length: MAX_PHONE_LIST + 1 }, (_, i) => mobile(i));
    const error = thrownBy(() => parsePhoneList({ phones }));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'phones' });
    expect(error.message).toBe('100001 phone numbers is more than the 100000 allowed at once');
  });

  it('refuses more than 100,000 CSV rows, naming csv', () => {
    const lines = ['SĐT', ...Array.from({ length: MAX_PHONE_LIST + 1 }, (_, i) => mobile(i))];
    const error = thrownBy(() => parsePhoneList({ csv: lines.join('\n') }));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'csv' });
    expect(error.message).toMatch(/^100001 .* 100000 /);
  });

  it('counts entries, not blank lines, against the cap', () => {
    const lines = Array.from({ length: MAX_PHONE_LIST }, (_, i) => mobile(i));
    const result = parsePhoneList({ csv: ['phone', ...lines, '', ' ', ',,'].join('\n') });
    expect(result.received).toBe(MAX_PHONE_LIST);
  });

  it.each([[{ phones: [] }], [{ csv: '' }], [{ csv: '\n\r\n  \n' }], [{ csv: '\uFEFF' }]])(
    'parses the empty upload %j to nothing',
    (input) => {
      expect(parsePhoneList(input)).toEqual({ e164: [], received: 0, duplicates: 0, invalid: [] });
    },
  );
});

describe('parsePhoneList: a list', () => {
  it('normalises every written form and keeps first-seen order', () => {
    expect(parsePhoneList({ phones: ['0987 654 321', '0912.345.678', '+84 32 123 4567'] })).toEqual(
      {
        e164: ['+84987654321', '+84912345678', '+84321234567'],
        received: 3,
        duplicates: 0,
        invalid: [],
      },
    );
  });

  it('counts one number written in different forms once', () => {
    const result = parsePhoneList({
      phones: ['0912345678', '+84 912 345 678', '84912345678', '０９１２３４５６７８', '912345678'],
    });
    expect(result).toMatchObject({ e164: ['+84912345678'], received: 5, duplicates: 4 });
  });

  it('maps old 11-digit numbers to their 2018 replacements', () => {
    const result = parsePhoneList({ phones: ['01681234567', '0381234567', '0168 123 4567'] });
    expect(result).toMatchObject({ e164: ['+84381234567'], duplicates: 2 });
  });

  it('skips empty entries without counting them; rows stay list indexes', () => {
    const result = parsePhoneList({ phones: ['', '0912345678', '   ', 'abc'] });
    expect(result).toEqual({
      e164: ['+84912345678'],
      received: 2,
      duplicates: 0,
      invalid: [{ row: 4, value: 'abc', reason: 'not a valid phone number' }],
    });
  });

  it('reports invalid numbers trimmed, and never counts them as duplicates', () => {
    const result = parsePhoneList({ phones: [' 12345 ', '12345', '0112345678'] });
    expect(result).toEqual({
      e164: [],
      received: 3,
      duplicates: 0,
      invalid: [
        { row: 1, value: '12345', reason: 'not a valid phone number' },
        { row: 2, value: '12345', reason: 'not a valid phone number' },
        { row: 3, value: '0112345678', reason: 'not a valid phone number' },
      ],
    });
  });
});

describe('parsePhoneList: CSV', () => {
  it('reads a single column without a header from line 1', () => {
    expect(parsePhoneList({ csv: csv('0912345678', '0987654321') })).toEqual({
      e164: ['+84912345678', '+84987654321'],
      received: 2,
      duplicates: 0,
      invalid: [],
    });
  });

  it('treats a first line without a phone header as data in column 0', () => {
    const result = parsePhoneList({ csv: csv('Tên,Email', '0912345678,an@shop.vn') });
    expect(result).toMatchObject({
      e164: ['+84912345678'],
      received: 2,
      invalid: [{ row: 1, value: 'Tên', reason: 'not a valid phone number' }],
    });
  });

  it('finds a Vietnamese header "Số điện thoại" and numbers rows by file line', () => {
    const result = parsePhoneList({
      csv: csv('Họ tên,Số điện thoại,Ghi chú', 'An,0912345678,', 'Bình,số cũ,gọi sau'),
    });
    expect(result).toEqual({
      e164: ['+84912345678'],
      received: 2,
      duplicates: 0,
      invalid: [{ row: 3, value: 'số cũ', reason: 'not a valid phone number' }],
    });
  });

  it.each([
    'phone',
    'Phone',
    'PHONE NUMBER',
    'Phone Number',
    'phone_number',
    'Mobile',
    'Tel',
    'SĐT',
    'sdt',
    'Số Điện Thoại',
    'SO DIEN THOAI',
    'Điện thoại',
    'Ｐｈｏｎｅ',
    ' "Số điện thoại" ',
  ])('recognises the header %j', (header) => {
    const result = parsePhoneList({ csv: csv(`Tên,${header}`, 'An,0912345678') });
    expect(result).toEqual({ e164: ['+84912345678'], received: 1, duplicates: 0, invalid: [] });
  });

  it('uses the first of two phone columns', () => {
    const result = parsePhoneList({ csv: csv('Mobile,Tel', '0912345678,0987654321') });
    expect(result.e164).toEqual(['+84912345678']);
  });

  it('detects ";" from the first line', () => {
    const result = parsePhoneList({ csv: csv('Tên;SĐT', 'Nguyễn, An;0912 345 678') });
    expect(result.e164).toEqual(['+84912345678']);
  });

  it('detects a tab from the first line', () => {
    const result = parsePhoneList({ csv: csv('Tên\tĐiện thoại', 'An, Bình\t0912345678') });
    expect(result.e164).toEqual(['+84912345678']);
  });

  it('ignores separators inside quotes when detecting', () => {
    const result = parsePhoneList({ csv: csv('"Nguyễn, Văn, An";0912345678') });
    expect(result.invalid).toEqual([
      { row: 1, value: 'Nguyễn, Văn, An', reason: 'not a valid phone number' },
    ]);
  });

  it('reads quoted values with commas and "" escapes', () => {
    const result = parsePhoneList({
      csv: csv(
        'Tên,Địa chỉ,SĐT',
        '"Cô ""Ba""","12 Lý Thường Kiệt, Hà Nội","0912 345 678"',
        'Tư, "Quận 1, TP.HCM" , "(098) 765-4321"',
      ),
    });
    expect(result).toEqual({
      e164: ['+84912345678', '+84987654321'],
      received: 2,
      duplicates: 0,
      invalid: [],
    });
  });

  it('reports a quoted invalid value unquoted', () => {
    const result = parsePhoneList({ csv: csv('phone', '"say ""hi"", 0912"') });
    expect(result.invalid).toEqual([
      { row: 2, value: 'say "hi", 0912', reason: 'not a valid phone number' },
    ]);
  });

  it('drops a BOM before the header', () => {
    const result = parsePhoneList({ csv: '\uFEFFSố điện thoại\r\n0912345678\r\n' });
    expect(result).toEqual({ e164: ['+84912345678'], received: 1, duplicates: 0, invalid: [] });
  });

  it.each([
    ['\\r\\n', '\r\n'],
    ['\\r', '\r'],
    ['\\n', '\n'],
  ])('splits lines on %s', (_name, eol) => {
    const result = parsePhoneList({ csv: ['sdt', '0912345678', 'x', '0987654321'].join(eol) });
    expect(result).toMatchObject({
      e164: ['+84912345678', '+84987654321'],
      invalid: [{ row: 3, value: 'x' }],
    });
  });

  it('skips blank lines without counting them, keeping file line numbers', () => {
    const result = parsePhoneList({
      csv: csv('', '  ', 'Tên,SĐT', '', 'An,0912345678', ',', ' , ', 'Bình,oops', ''),
    });
    expect(result).toEqual({
      e164: ['+84912345678'],
      received: 2,
      duplicates: 0,
      invalid: [{ row: 8, value: 'oops', reason: 'not a valid phone number' }],
    });
  });

  it('reports a row whose phone cell is empty or missing', () => {
    const result = parsePhoneList({ csv: csv('Tên,SĐT', 'An,', 'Bình') });
    expect(result).toMatchObject({
      received: 2,
      invalid: [
        { row: 2, value: '', reason: 'no phone number' },
        { row: 3, value: '', reason: 'no phone number' },
      ],
    });
  });

  it('maps old 11-digit numbers and full-width digits', () => {
    const result = parsePhoneList({
      csv: csv(
        'SĐT',
        '01681234567',
        '０３８１２３４５６７',
        '0168.123.4567',
        '０９１２３４５６７８',
      ),
    });
    expect(result).toEqual({
      e164: ['+84381234567', '+84912345678'],
      received: 4,
      duplicates: 2,
      invalid: [],
    });
  });

  it('counts one number written in different forms once', () => {
    const result = parsePhoneList({
      csv: csv(
        'Tên,SĐT',
        'An,0912345678',
        'An,"+84 912 345 678"',
        'An,912345678',
        'An,0084912345678',
        'An,(091) 234-5678',
      ),
    });
    expect(result).toMatchObject({ e164: ['+84912345678'], received: 5, duplicates: 4 });
  });

  it('parses a 100,000-line CSV with duplicates and invalid rows in one pass', () => {
    // Line 1 is the header; data line n (2..100,000) holds number n, except every 10th
    // line repeats the number before it in another written form, and every 1,000th line
    // is not a number.
    const lines = ['Họ tên;Số điện thoại'];
    for (let n = 2; n <= MAX_PHONE_LIST; n++) {
      if (n % 1000 === 0) lines.push(`Khách ${n};không có`);
      else if (n % 10 === 0) lines.push(`Khách ${n};"+84 ${mobile(n - 1).slice(1)}"`);
      else lines.push(`Khách ${n};${mobile(n)}`);
    }
    expect(lines).toHaveLength(MAX_PHONE_LIST);

    const result = parsePhoneList({ csv: lines.join('\r\n') });

    const invalidRows = 100; // lines 1,000, 2,000 … 100,000
    const duplicates = 9_999 - 99; // lines 10, 20 … 99,990 but not 1,000 … 99,000
    expect(result.received).toBe(MAX_PHONE_LIST - 1);
    expect(result.invalid).toHaveLength(invalidRows);
    expect(result.invalid[0]).toEqual({
      row: 1000,
      value: 'không có',
      reason: 'not a valid phone number',
    });
    expect(result.duplicates).toBe(duplicates);
    expect(result.e164).toHaveLength(MAX_PHONE_LIST - 1 - invalidRows - duplicates);
    expect(result.e164.slice(0, 2)).toEqual([e164Of(2), e164Of(3)]);
    expect(new Set(result.e164).size).toBe(result.e164.length);
  });
});

describe('parsePhoneList: the cap comes first', () => {
  afterEach(() => jest.restoreAllMocks());

  it('refuses CSV over the cap from a count of its lines, before splitting or parsing it', () => {
    // Short invalid rows: were they split and parsed, they would be reported as invalid.
    const text = ['phone', ...Array.from({ length: MAX_PHONE_LIST + 1 }, () => 'x')].join('\n');
    const split = jest.spyOn(String.prototype, 'split');
    const parse = jest.fn(() => null);
    const error = thrownBy(() => parsePhoneList({ csv: text }, parse));
    expect(split).not.toHaveBeenCalled();
    expect(parse).not.toHaveBeenCalled();
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'csv' });
    expect(error.message).toBe('100001 phone numbers is more than the 100000 allowed at once');
  });

  it('refuses a list over the cap before reading any number', () => {
    const phones = Array.from({ length: MAX_PHONE_LIST + 1 }, () => 'x');
    const parse = jest.fn(() => null);
    const error = thrownBy(() => parsePhoneList({ phones }, parse));
    expect(parse).not.toHaveBeenCalled();
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'phones' });
  });

  it('does not count blank lines or lines of separators against the cap', () => {
    const lines = Array.from({ length: 3 }, (_, i) => mobile(i));
    expect(
      readPhoneEntries({ csv: ['Tên;SĐT', ...lines, ';;', ' ; ', '\t'].join('\r\n') }),
    ).toHaveLength(3);
  });
});

describe('normaliseInChunks', () => {
  it('parses each distinct string once and gives what parsePhoneList gives', async () => {
    const phones = Array.from({ length: 5_000 }, (_, i) => mobile(i % 1_500));
    const calls: string[] = [];
    const parse = createPhoneMemo((typed) => {
      calls.push(typed);
      return toE164(typed);
    });
    const chunked = await normaliseInChunks(readPhoneEntries({ phones }), parse);
    expect(chunked).toEqual(parsePhoneList({ phones }));
    expect(chunked).toMatchObject({ received: 5_000, duplicates: 3_500 });
    expect(calls).toHaveLength(1_500);
  });
});
