import { customerType } from './customer.type';

describe('customerType', () => {
  it.each([
    [{ name: null, email: null }, 0, [], 'VISITOR'],
    [{ name: 'An', email: null }, 0, [], 'VISITOR'],
    [{ name: null, email: 'a@b.vn' }, 1, [], 'VISITOR'],
    [{ name: 'An', email: 'a@b.vn' }, 0, [], 'LEAD'],
    [{ name: 'An', email: null }, 1, [], 'LEAD'],
    [{ name: 'An', email: null }, 1, [{ source: 'ZALO' as const }], 'LEAD'],
    [{ name: null, email: null }, 0, [{ source: 'SHOP' as const }], 'CUSTOMER'],
  ])('%j with %i phones and ids %j is %s', (customer, phones, ids, type) => {
    expect(customerType(customer, phones, ids)).toBe(type);
  });
});
