// The order figures in the filter language: orderCount and totalSpent never missing,
// lastOrderAt missing without orders and held to the NULL rule (see filter.orders.ts).
// What they select on real rows is tested in test/order-figures-list.test.ts.
import { GraphQLError } from 'graphql';
import { compileFilter } from './filter.compiler';
import type { CustomerFilterInput } from './filter.types';
import { SqlParams } from './sql-params';

function compile(filter: unknown) {
  const params = new SqlParams();
  const sql = compileFilter(
    filter as CustomerFilterInput,
    { alias: 'c', customFields: new Map(), lists: new Map() },
    params,
  );
  return { sql, values: params.values };
}

function refusal(filter: unknown) {
  try {
    compile(filter);
  } catch (error) {
    if (error instanceof GraphQLError) {
      return { code: error.extensions.code, field: error.extensions.field, message: error.message };
    }
    throw error;
  }
  throw new Error(`${JSON.stringify(filter)} was not refused`);
}

const LAST = `COALESCE(c.last_order_at, '-infinity'::timestamptz)`;
const DAY = '2026-03-01T00:00:00Z';

describe('orderCount and totalSpent', () => {
  it.each<[unknown, string, unknown[]]>([
    [{ orderCount: { eq: 0 } }, 'c.order_count = $1::bigint', [0]],
    [{ orderCount: { neq: 2 } }, 'c.order_count IS DISTINCT FROM $1::bigint', [2]],
    [{ orderCount: { in: [1, 2] } }, 'c.order_count = ANY($1::bigint[])', [[1, 2]]],
    [{ totalSpent: { gt: 2_000_000 } }, 'c.total_spent > $1::bigint', [2_000_000]],
    [
      { totalSpent: { between: [0, 9_007_199_254_740_991] } },
      'c.total_spent BETWEEN $1::bigint AND $2::bigint',
      [0, 9_007_199_254_740_991],
    ],
    [
      { totalSpent: { gte: 1, lt: 5 } },
      '(c.total_spent >= $1::bigint AND c.total_spent < $2::bigint)',
      [1, 5],
    ],
  ])('%j compiles to %s', (filter, sql, values) => {
    expect(compile(filter)).toEqual({ sql, values });
  });

  it.each<[unknown, string, string]>([
    [{ totalSpent: { gt: 1.5 } }, 'filter.totalSpent.gt', '1.5 is not a whole number'],
    [{ orderCount: { in: [1, '2'] } }, 'filter.orderCount.in[1]', '"2" is not a whole number'],
    [
      { totalSpent: { lt: 2 ** 53 } },
      'filter.totalSpent.lt',
      '9007199254740992 is not a whole number',
    ],
    [
      { orderCount: { between: [5, 1] } },
      'filter.orderCount.between',
      '"between" bounds are reversed: 5 is after 1',
    ],
    // Never missing: a customer without orders has 0.
    [
      { orderCount: { isEmpty: true } },
      'filter.orderCount.isEmpty',
      'operator "isEmpty" is not valid for count field "orderCount"',
    ],
    [
      { totalSpent: { contains: '2' } },
      'filter.totalSpent.contains',
      'operator "contains" is not valid for money field "totalSpent"',
    ],
  ])('refuses %j at %s', (filter, field, message) => {
    expect(refusal(filter)).toEqual({ code: 'BAD_USER_INPUT', field, message });
  });
});

describe('lastOrderAt', () => {
  it.each<[unknown, string]>([
    [{ lastOrderAt: { gte: DAY } }, `${LAST} >= $1::timestamptz`],
    [{ lastOrderAt: { eq: DAY } }, `${LAST} = $1::timestamptz`],
    // Positive: a customer without orders must not pass "before".
    [
      { lastOrderAt: { lt: DAY } },
      `(${LAST} > '-infinity'::timestamptz AND ${LAST} < $1::timestamptz)`,
    ],
    [
      { lastOrderAt: { lte: DAY } },
      `(${LAST} > '-infinity'::timestamptz AND ${LAST} <= $1::timestamptz)`,
    ],
    // Negations: a customer without orders passes.
    [{ lastOrderAt: { neq: DAY } }, `${LAST} IS DISTINCT FROM $1::timestamptz`],
    [{ not: { lastOrderAt: { gte: DAY } } }, `NOT COALESCE(${LAST} >= $1::timestamptz, FALSE)`],
  ])('%j compiles to %s', (filter, sql) => {
    expect(compile(filter)).toEqual({ sql, values: [DAY] });
  });

  it('is empty exactly for the customers without orders', () => {
    expect(compile({ lastOrderAt: { isEmpty: true } }).sql).toBe(
      `${LAST} = '-infinity'::timestamptz`,
    );
    expect(compile({ lastOrderAt: { isEmpty: false } }).sql).toBe(
      `${LAST} > '-infinity'::timestamptz`,
    );
  });

  it('takes a Date as the GraphQL scalar gives it', () => {
    expect(compile({ lastOrderAt: { gt: new Date(DAY) } }).values).toEqual([
      '2026-03-01T00:00:00.000Z',
    ]);
  });

  it('expresses "spent over 2,000,000 ₫ and no order in 90 days"', () => {
    const ninetyDaysAgo = new Date(Date.parse(DAY) - 90 * 86_400_000);
    expect(
      compile({ totalSpent: { gt: 2_000_000 }, not: { lastOrderAt: { gte: ninetyDaysAgo } } }),
    ).toEqual({
      sql: `(c.total_spent > $1::bigint AND NOT COALESCE(${LAST} >= $2::timestamptz, FALSE))`,
      values: [2_000_000, '2025-12-01T00:00:00.000Z'],
    });
  });

  it.each<[unknown, string, string]>([
    [
      { lastOrderAt: { lt: '2026-03-01' } },
      'filter.lastOrderAt.lt',
      '"2026-03-01" is not an ISO-8601 date-time with a time zone',
    ],
    [
      { lastOrderAt: { between: [DAY, '2026-01-01T00:00:00Z'] } },
      'filter.lastOrderAt.between',
      `"between" bounds are reversed: "${DAY}" is after "2026-01-01T00:00:00Z"`,
    ],
    [
      { or: [{ lastOrderAt: { gte: 90 } }] },
      'filter.or[0].lastOrderAt.gte',
      '90 is not a date-time',
    ],
  ])('refuses %j at %s', (filter, field, message) => {
    expect(refusal(filter)).toEqual({ code: 'BAD_USER_INPUT', field, message });
  });
});
