// The customer's purchases in figures, as orders announces them
// (orders.customer.summary-changed, projected by buyers/summary-changed.handler.ts):
// orderCount and totalSpent (whole đồng) with number operators, lastOrderAt with the
// operators of an instant.
//
// A customer without orders has 0 orders and 0 ₫ spent, never "no value": the counts
// have no isEmpty, and `totalSpent: { lt: 100000 }` includes them. Their lastOrderAt
// is missing, and the NULL rule of the language holds for it: they fail every
// positive comparison (eq, in, lt, lte, gt, gte, between) and pass the negations.
// "No order in 90 days" is `not: { lastOrderAt: { gte: <90 days ago> } }`.
//
// lastOrderAt is compared through COALESCE(last_order_at, '-infinity'), the expression
// the list's sort and its index hold (a customer without orders sorts as the oldest):
// one index serves both. A filter's instant is always finite, so only lt and lte, and
// isEmpty, must tell the missing value from the earliest one.
import type { SystemField } from './filter.fields';
import type { Operators, ValueType } from './filter.ops';
import { DATE_TIME, byInstant, emptyOps, equalityOps, orderOps } from './filter.ops';
import { readWholeNumber } from './filter.values';

/** The stand-in of a missing last order, in the sort and in its index. */
export const NO_ORDER = `'-infinity'::timestamptz`;

/** The expression over the customer alias `a` that sorts and filters by the last order. */
export const lastOrderAtKey = (a: string): string => `COALESCE(${a}.last_order_at, ${NO_ORDER})`;

const WHOLE: ValueType<number> = {
  read: readWholeNumber,
  cast: '::bigint',
  arrayCast: '::bigint[]',
};

function figure(column: string, kind: string): SystemField {
  return {
    kind,
    operators: ({ a }) => ({
      ...equalityOps(`${a}.${column}`, WHOLE),
      ...orderOps(`${a}.${column}`, WHOLE, (x, y) => x - y),
    }),
  };
}

const lastOrderAt: SystemField = {
  kind: 'date-time',
  operators: ({ a }): Operators => {
    const e = lastOrderAtKey(a);
    const before =
      (sign: string): Operators[string] =>
      (v, at, s) =>
        `(${e} > ${NO_ORDER} AND ${e} ${sign} ${s.param(DATE_TIME.read(v, at))}${DATE_TIME.cast})`;
    return {
      ...equalityOps(e, DATE_TIME),
      ...orderOps(e, DATE_TIME, byInstant),
      lt: before('<'),
      lte: before('<='),
      ...emptyOps(`${e} = ${NO_ORDER}`, `${e} > ${NO_ORDER}`),
    };
  },
};

export const ORDER_FIELDS: ReadonlyMap<string, SystemField> = new Map([
  ['orderCount', figure('order_count', 'count')],
  ['totalSpent', figure('total_spent', 'money')],
  ['lastOrderAt', lastOrderAt],
]);
