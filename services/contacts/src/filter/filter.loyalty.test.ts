// The loyalty tier in the filter language: `tier` by name (empty exactly without a
// tier, over the rank the index holds) and `tierRank` with number operators, never
// missing. What they select on real rows is tested in test/loyalty-tier.test.ts.
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

it.each<[unknown, string, unknown[]]>([
  [{ tier: { eq: 'Vàng' } }, 'c.loyalty_tier_name = $1', ['Vàng']],
  [{ tier: { eq: 'Vàng'.normalize('NFD') } }, 'c.loyalty_tier_name = $1', ['Vàng']],
  [{ tier: { in: ['Bạc', 'Vàng'] } }, 'c.loyalty_tier_name = ANY($1::text[])', [['Bạc', 'Vàng']]],
  [{ tier: { neq: 'Vàng' } }, 'c.loyalty_tier_name IS DISTINCT FROM $1', ['Vàng']],
  [{ tier: { isEmpty: true } }, 'c.loyalty_tier_rank = 0', []],
  [{ tier: { isEmpty: false } }, 'c.loyalty_tier_rank > 0', []],
  [{ tierRank: { gte: 2 } }, 'c.loyalty_tier_rank >= $1::bigint', [2]],
  [{ tierRank: { eq: 0 } }, 'c.loyalty_tier_rank = $1::bigint', [0]],
  [
    { tierRank: { between: [1, 3] } },
    'c.loyalty_tier_rank BETWEEN $1::bigint AND $2::bigint',
    [1, 3],
  ],
  [
    { tier: { eq: 'Vàng' }, tierRank: { lt: 3 } },
    '(c.loyalty_tier_name = $1 AND c.loyalty_tier_rank < $2::bigint)',
    ['Vàng', 3],
  ],
])('%j compiles to %s', (filter, sql, values) => {
  expect(compile(filter)).toEqual({ sql, values });
});

it.each<[unknown, string, string]>([
  [{ tierRank: { gte: 1.5 } }, 'filter.tierRank.gte', '1.5 is not a whole number'],
  [{ tierRank: { in: [1, '2'] } }, 'filter.tierRank.in[1]', '"2" is not a whole number'],
  [
    { tierRank: { isEmpty: true } },
    'filter.tierRank.isEmpty',
    'operator "isEmpty" is not valid for tier rank field "tierRank"',
  ],
  [
    { tier: { gte: 'Vàng' } },
    'filter.tier.gte',
    'operator "gte" is not valid for tier field "tier"',
  ],
  [
    { tier: { contains: 'V' } },
    'filter.tier.contains',
    'operator "contains" is not valid for tier field "tier"',
  ],
  [{ tier: { eq: 3 } }, 'filter.tier.eq', '3 is not a string'],
])('refuses %j at %s', (filter, field, message) => {
  expect(refusal(filter)).toEqual({ code: 'BAD_USER_INPUT', field, message });
});
