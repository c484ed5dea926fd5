import { ERASED, personMatcher } from './erasure';

describe('personMatcher', () => {
  const matcher = personMatcher({
    customerIds: ['7b0f6c1e-52b4-4e3a-9a57-0d3f1f0b9a11'],
    phones: ['0912 345 678'],
    emails: ['lan.tran@example.vn'],
    texts: ['Trần Thị Lan', '12 Lý Thái Tổ', 'An'],
  })!;

  it('finds the phone in every form, and nothing that only contains its digits', () => {
    for (const form of [
      '+84912345678',
      '84912345678',
      '0912345678',
      '0912.345.678',
      '+84 912 345 678',
    ]) {
      expect(matcher.test(`gọi ${form} nhé`)).toBe(true);
      expect(new RegExp(matcher.sql, 'i').test(form)).toBe(true);
    }
    expect(matcher.test('10912345678')).toBe(false);
    expect(matcher.test('09123456789')).toBe(false);
  });

  it('finds names and addresses as whole words only, ignoring case', () => {
    expect(matcher.test('TRẦN THỊ LAN')).toBe(true);
    expect(matcher.test('Trần Thị Lanh')).toBe(false);
    // A value of two letters would erase other people's text: it is not matched.
    expect(matcher.test('An')).toBe(false);
  });

  it('is certain it is the person only by an id, a phone or an email, not by a name or an address', () => {
    expect(matcher.identifies('{"customerId":"7b0f6c1e-52b4-4e3a-9a57-0d3f1f0b9a11"}')).toBe(true);
    expect(matcher.identifies('{"phone":"+84912345678"}')).toBe(true);
    expect(matcher.identifies('{"email":"LAN.TRAN@example.vn"}')).toBe(true);
    // A namesake at the same address is someone else: their events must go out.
    expect(matcher.identifies('{"name":"Trần Thị Lan","address":"12 Lý Thái Tổ"}')).toBe(false);
    expect(matcher.test('{"name":"Trần Thị Lan"}')).toBe(true);
  });

  it('redacts only the values in text and JSON', () => {
    expect(matcher.redactText('Trần Thị Lan,0912345678,lan.tran@example.vn,ok')).toBe(
      `${ERASED},${ERASED},${ERASED},ok`,
    );
    expect(
      matcher.redactJson({
        search: 'lan.tran@example.vn',
        ids: ['7b0f6c1e-52b4-4e3a-9a57-0d3f1f0b9a11', 'x'],
        n: 3,
      }),
    ).toEqual({ search: ERASED, ids: [ERASED, 'x'], n: 3 });
  });

  it('is null when nothing is known of the person', () => {
    expect(personMatcher({ phones: [null], emails: [''], texts: ['A'] })).toBeNull();
  });
});

it('lists the plain values for a byte search: every phone form, no id', () => {
  const m = personMatcher({ customerIds: ['id-1'], phones: ['0912 345 678'], emails: ['a@b.vn'] })!;
  expect([...m.values].sort()).toEqual(
    ['+84912345678', '84912345678', '0912345678', '0912 345 678', 'a@b.vn'].sort(),
  );
});
