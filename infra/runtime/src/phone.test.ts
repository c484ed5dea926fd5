import { GraphQLError } from 'graphql';
import { normalisePhone, toE164 } from './phone';

describe('toE164', () => {
  it.each([
    // national, with every separator people use
    ['0912345678', '+84912345678'],
    ['0912 345 678', '+84912345678'],
    ['0912.345.678', '+84912345678'],
    ['0912-345-678', '+84912345678'],
    ['(091) 234-5678', '+84912345678'],
    [' 0912 345 678 ', '+84912345678'],
    ['0912\u00a0345\u00a0678', '+84912345678'],
    // international forms
    ['84912345678', '+84912345678'],
    ['+84912345678', '+84912345678'],
    ['+84 912 345 678', '+84912345678'],
    ['(+84) 912-345-678', '+84912345678'],
    ['0084912345678', '+84912345678'],
    // full-width digits and plus
    ['０９１２３４５６７８', '+84912345678'],
    ['＋８４９１２３４５６７８', '+84912345678'],
    // a spreadsheet dropped the leading zero
    ['912345678', '+84912345678'],
    // every carrier's current prefixes
    ['0321234567', '+84321234567'],
    ['0561234567', '+84561234567'],
    ['0701234567', '+84701234567'],
    ['0812345678', '+84812345678'],
    ['0987654321', '+84987654321'],
    // old 11-digit mobile numbers → 2018 replacements
    ['01621234567', '+84321234567'],
    ['01681234567', '+84381234567'],
    ['01691234567', '+84391234567'],
    ['01201234567', '+84701234567'],
    ['01211234567', '+84791234567'],
    ['01221234567', '+84771234567'],
    ['01231234567', '+84831234567'],
    ['01241234567', '+84841234567'],
    ['01251234567', '+84851234567'],
    ['01261234567', '+84761234567'],
    ['01271234567', '+84811234567'],
    ['01281234567', '+84781234567'],
    ['01291234567', '+84821234567'],
    ['01861234567', '+84561234567'],
    ['01881234567', '+84581234567'],
    ['01991234567', '+84591234567'],
    ['0168 123 4567', '+84381234567'],
    ['+84 168 123 4567', '+84381234567'],
    ['841681234567', '+84381234567'],
    // landline (Hà Nội) and a foreign number
    ['024 3825 1234', '+842438251234'],
    ['+1 415 555 2671', '+14155552671'],
  ])('%j → %s', (typed, e164) => {
    expect(toE164(typed)).toBe(e164);
  });

  it.each([
    '',
    'abc',
    '0912 345 67x',
    '12345',
    '0000000000',
    '0112345678', // no such prefix
    '01301234567', // 11 digits with a prefix that never existed
    '091234567890123',
    '+84 12',
    '09123456789', // one digit too many
    '+999 123 456 789',
  ])('refuses %j', (typed) => {
    expect(toE164(typed)).toBeNull();
  });
});

describe('normalisePhone', () => {
  it('keeps what was typed beside the E.164 form', () => {
    expect(normalisePhone(' 0168 123 4567 ')).toEqual({
      typed: '0168 123 4567',
      e164: '+84381234567',
    });
  });

  it('throws BAD_USER_INPUT naming the field and the value', () => {
    let thrown: unknown;
    try {
      normalisePhone('0912 abc', 'info.phone');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GraphQLError);
    expect((thrown as GraphQLError).message).toBe('"0912 abc" is not a valid phone number');
    expect((thrown as GraphQLError).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'info.phone',
    });
  });
});
