import { ORDER_STATUSES } from '../orders/order.entity';
import {
  PUSH_FRESHNESS_MS,
  PushRefused,
  SHOPEE_STATUSES,
  isFresh,
  mapShopeeStatus,
  parseShopeePush,
  shopeeSignature,
  signatureMatches,
} from './shopee-push';

const raw = (body: unknown) => Buffer.from(JSON.stringify(body));
const refusal = (body: Buffer) => {
  try {
    parseShopeePush(body);
  } catch (error) {
    if (error instanceof PushRefused) return `${error.status} ${error.message}`;
    throw error;
  }
  return 'accepted';
};

describe('Shopee statuses', () => {
  it('maps each of Shopee’s order statuses to ours, IN_CANCEL to none', () => {
    expect(SHOPEE_STATUSES).toEqual({
      UNPAID: 'PENDING',
      INVOICE_PENDING: 'CONFIRMED',
      READY_TO_SHIP: 'CONFIRMED',
      PROCESSED: 'CONFIRMED',
      RETRY_SHIP: 'CONFIRMED',
      SHIPPED: 'SHIPPING',
      TO_CONFIRM_RECEIVE: 'DELIVERED',
      COMPLETED: 'COMPLETED',
      IN_CANCEL: null,
      CANCELLED: 'CANCELLED',
      TO_RETURN: 'RETURNED',
    });
    const ours = Object.values(SHOPEE_STATUSES).filter((s) => s !== null);
    expect(ORDER_STATUSES).toEqual(expect.arrayContaining(ours));
  });

  it('knows no other status, inherited names included', () => {
    expect(mapShopeeStatus('COMPLETED')).toBe('COMPLETED');
    expect(mapShopeeStatus('IN_CANCEL')).toBeNull();
    for (const name of ['LOST', 'completed', 'constructor', '__proto__', 'toString']) {
      expect(mapShopeeStatus(name)).toBeUndefined();
    }
  });
});

describe('parsing a push', () => {
  const push = {
    shop_id: 123456,
    code: 3,
    timestamp: 1_700_000_100,
    data: { ordersn: '230103BWFUSJ1C', status: 'READY_TO_SHIP', update_time: 1_700_000_000 },
  };

  it('reads an order status push, times in seconds', () => {
    expect(parseShopeePush(raw(push))).toEqual({
      kind: 'order_status',
      shopId: '123456',
      sentAt: new Date(1_700_000_100_000),
      orderSn: '230103BWFUSJ1C',
      status: 'READY_TO_SHIP',
      updatedAt: new Date(1_700_000_000_000),
    });
  });

  it('dates the status by the push when update_time is left out', () => {
    const data = { ...push.data, update_time: undefined };
    expect(parseShopeePush(raw({ ...push, data }))).toMatchObject({
      updatedAt: new Date(1_700_000_100_000),
    });
  });

  it('reads only the code of another kind of push', () => {
    expect(parseShopeePush(raw({ code: 12, data: {} }))).toEqual({ kind: 'other', code: 12 });
  });

  it.each([
    ['not JSON', Buffer.from('{'), '400 body is not JSON'],
    ['an array', raw([push]), '400 body is not an object'],
    ['no code', raw({ ...push, code: undefined }), '400 missing or invalid field code'],
    [
      'a shop id in a string',
      raw({ ...push, shop_id: '123456' }),
      '400 missing or invalid field shop_id',
    ],
    [
      'a shop id past 2^53',
      Buffer.from(JSON.stringify(push).replace('123456', '9007199254740993')),
      '400 missing or invalid field shop_id',
    ],
    [
      'a timestamp in a string',
      raw({ ...push, timestamp: '1700000100' }),
      '400 missing or invalid field timestamp (seconds since the epoch)',
    ],
    [
      'no order',
      raw({ ...push, data: { ...push.data, ordersn: '' } }),
      '400 missing or invalid field data.ordersn',
    ],
    [
      'no status',
      raw({ ...push, data: { ...push.data, status: 3 } }),
      '400 missing or invalid field data.status',
    ],
    ['no data', raw({ ...push, data: null }), '400 missing or invalid field data'],
  ])('refuses %s, naming it', (_label, body, expected) => {
    expect(refusal(body)).toBe(expected);
  });
});

describe('signatures', () => {
  it('is hex HMAC-SHA256 of the callback URL, "|" and the raw body, keyed by the partner key', () => {
    // printf '%s' 'https://hooks.example.vn/webhooks/shopee|{"code":3}' | openssl dgst -sha256 -hmac partner-key-1
    expect(
      shopeeSignature(
        'https://hooks.example.vn/webhooks/shopee',
        Buffer.from('{"code":3}'),
        'partner-key-1',
      ),
    ).toBe('0c370e06141477ee86201c02ab3505ac146e0c2c07dd80151a31e09a5f6f03cc');
  });

  it('matches only the exact signature', () => {
    const good = shopeeSignature('https://x/webhooks/shopee', Buffer.from('{}'), 'k'.repeat(8));
    expect(signatureMatches(good, good)).toBe(true);
    expect(signatureMatches(good.toUpperCase(), good)).toBe(false);
    expect(signatureMatches(good.slice(1), good)).toBe(false);
    expect(signatureMatches('', good)).toBe(false);
  });

  it('accepts a push sent within five minutes either way', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(isFresh(new Date(now - PUSH_FRESHNESS_MS), now)).toBe(true);
    expect(isFresh(new Date(now + PUSH_FRESHNESS_MS), now)).toBe(true);
    expect(isFresh(new Date(now - PUSH_FRESHNESS_MS - 1000), now)).toBe(false);
    expect(isFresh(new Date(now + PUSH_FRESHNESS_MS + 1000), now)).toBe(false);
  });
});
