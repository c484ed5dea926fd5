import { GraphQLError } from 'graphql';
import { compileFilter } from './filter.compiler';
import { MAX_FILTER_NODES, MAX_FILTER_STRING, MAX_FILTER_VALUES } from './filter.budget';
import type { CustomerFilterInput, FilterContext } from './filter.types';
import { createPhoneMemo } from './phone-memo';
import { SqlParams } from './sql-params';

/** Compiles with a phone parser that records every call. */
function compile(filter: unknown, lists = new Map<string, CustomerFilterInput>()) {
  const parsed: string[] = [];
  const ctx: FilterContext = {
    alias: 'c',
    customFields: new Map(),
    lists,
    e164: createPhoneMemo((typed) => {
      parsed.push(typed);
      return `+84${typed.replace(/\D/g, '').slice(1)}`;
    }),
  };
  const params = new SqlParams();
  let error: GraphQLError | undefined;
  try {
    compileFilter(filter as CustomerFilterInput, ctx, params);
  } catch (thrown) {
    if (!(thrown instanceof GraphQLError)) throw thrown;
    error = thrown;
  }
  return { error, parsed, params: params.values };
}

const phones = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `09${String(from + i).padStart(8, '0')}`);

describe('the filter budget', () => {
  it('counts list values across the whole filter, naming where it ran out, before parsing any', () => {
    // Four lists of 300: within each list's own cap, 1,200 together.
    const filter = { or: [0, 1, 2, 3].map((i) => ({ phone: { in: phones(300, i * 300) } })) };
    const { error, parsed } = compile(filter);
    expect(error?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'filter.or[3].phone.in',
      limit: MAX_FILTER_VALUES,
      actual: 1200,
    });
    expect(error?.message).toBe('the filter has 1200 list values in all; at most 1000 allowed');
    expect(parsed).toEqual([]);
  });

  it('accepts exactly the values cap', () => {
    const filter = { or: [0, 1].map((i) => ({ phone: { in: phones(500, i * 500) } })) };
    const { error, parsed } = compile(filter);
    expect(error).toBeUndefined();
    expect(parsed).toHaveLength(MAX_FILTER_VALUES);
  });

  it('counts the values of saved lists where they are used, each time', () => {
    const lists = new Map([['L', { phone: { in: phones(400) } }]]);
    const filter = { or: [{ inList: 'L' }, { inList: 'L' }, { inList: 'L' }] };
    expect(compile(filter, lists).error?.extensions).toMatchObject({
      field: 'filter.or[2].inList.phone.in',
      actual: 1200,
    });
  });

  it('refuses more parts than the cap, naming the first one past it', () => {
    // Each item is an object, a field filter and an operator: 3 parts, plus the root.
    const items = Array.from({ length: 400 }, () => ({ city: { eq: 'Huế' } }));
    const { error } = compile({ or: items });
    expect(error?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'filter.or[333]',
      limit: MAX_FILTER_NODES,
      actual: 1 + 3 * 400,
    });
  });

  it('refuses a string longer than the cap, naming it', () => {
    const long = 'a'.repeat(MAX_FILTER_STRING + 1);
    const { error } = compile({ and: [{ name: { eq: 'An' } }, { name: { in: ['x', long] } }] });
    expect(error?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'filter.and[1].name.in[1]',
      limit: MAX_FILTER_STRING,
      actual: MAX_FILTER_STRING + 1,
    });
  });

  it('refuses nesting past the depth before reading the parts below', () => {
    let filter: object = { phone: { in: phones(5) } };
    for (let i = 0; i < 9; i++) filter = { not: filter };
    const { error, parsed } = compile(filter);
    expect(error?.extensions).toMatchObject({ field: `filter${'.not'.repeat(9)}`, limit: 8 });
    expect(parsed).toEqual([]);
  });
});

describe('the request phone memo', () => {
  it('parses a phone once however often the filter repeats it', () => {
    const same = ['0912 345 678', '0987654321'];
    const filter = {
      or: [
        { phone: { in: same } },
        { phone: { eq: '0912 345 678' } },
        { not: { phone: { neq: '0987654321' } } },
        { phone: { in: [...same, '0912 345 678'] } },
      ],
    };
    const { error, parsed, params } = compile(filter);
    expect(error).toBeUndefined();
    expect(parsed).toEqual(['0912 345 678', '0987654321']);
    // Every place still gets its value.
    expect(params).toContainEqual(['+84912345678', '+84987654321']);
    expect(params).toContain('+84912345678');
  });

  it('remembers invalid numbers too, and keys on the string as written', () => {
    const calls: string[] = [];
    const memo = createPhoneMemo((typed) => {
      calls.push(typed);
      return typed === 'bad' ? null : `+${typed}`;
    });
    expect([memo('bad'), memo('bad'), memo('84912'), memo('84912'), memo(' 84912')]).toEqual([
      null,
      null,
      '+84912',
      '+84912',
      '+ 84912',
    ]);
    expect(calls).toEqual(['bad', '84912', ' 84912']);
  });
});
