import { AUDIT_ACTIONS, AuditAction } from './audit-actions';
import { AuditEntryError, checkAuditEntry } from './audit';
import { isRequestId, requestIdFrom } from './request-id';

const ok = { action: AuditAction.CUSTOMER_UPDATED, targetType: 'Customer', targetIds: [] };

describe('audit entries hold ids, counts and kinds only', () => {
  it('takes ids, counts, kinds and flags', () => {
    expect(() =>
      checkAuditEntry({
        ...ok,
        targetIds: ['6f1c2a9e-0c1d-4c51-9d0e-3b0c2f1a7e11', 'SHOPEE:12345'],
        detail: { fields: 'name,email', count: 3, optedOut: true },
      }),
    ).not.toThrow();
  });

  it.each([
    ['a name', { detail: { who: 'Nguyễn Văn A' } }],
    ['an email', { detail: { email: 'a@b.vn' } }],
    ['a sentence', { targetIds: ['12 Lê Lợi, Q1'] }],
    ['a nested value', { detail: { x: { y: 1 } as unknown as string } }],
    ['too many targets', { targetIds: Array.from({ length: 101 }, (_, i) => `id${i}`) }],
    ['an unknown action', { action: 'SOMETHING' as AuditAction }],
    ['a bad target type', { targetType: 'customer rows' }],
  ])('refuses %s', (_what, change) => {
    expect(() => checkAuditEntry({ ...ok, ...change })).toThrow(AuditEntryError);
  });

  it('lists every action once', () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    expect(AUDIT_ACTIONS).toEqual(
      expect.arrayContaining([
        'CUSTOMERS_IMPORTED',
        'CUSTOMERS_EXPORTED',
        'CUSTOMER_ERASED',
        'CUSTOMER_DATA_EXPORTED',
      ]),
    );
  });
});

describe('request ids', () => {
  it('keeps a sane one and replaces anything else with a UUID', () => {
    expect(requestIdFrom('abc-1234.x_Y')).toBe('abc-1234.x_Y');
    for (const bad of [undefined, 'short', 'x'.repeat(65), 'has space 123', 'a/b/c/d/e/f']) {
      const made = requestIdFrom(bad);
      expect(made).not.toBe(bad);
      expect(made).toMatch(/^[0-9a-f-]{36}$/);
      expect(isRequestId(made)).toBe(true);
    }
  });
});
