import { readFileSync } from 'node:fs';
import {
  Kind,
  buildASTSchema,
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  isLeafType,
  isListType,
  isObjectType,
  parse,
} from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { findRepoFile } from '@customer-graph/runtime';
import { readCostDirectives } from './cost-directives';
import { countLines, measureOperation } from './query-cost';
import {
  COST_BUDGET,
  MAX_ALIASES,
  MAX_DEPTH,
  MAX_TOKENS,
  TOKENS_COUNTED,
  checkQueryLimits,
  countTokens,
} from './query-limits';

// The committed supergraph: the same types, defaults and cost directives the gateway serves.
const supergraph = readFileSync(findRepoFile('schema/supergraph.graphql'), 'utf8');
const schema = buildASTSchema(parse(supergraph), { assumeValidSDL: true });
const costs = readCostDirectives(supergraph);

function operationOf(query: string) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return { document, operation };
}

function measure(query: string, variables = {}) {
  const { document, operation } = operationOf(query);
  return measureOperation(schema, costs, document, operation, variables);
}

function check(query: string, role: 'admin' | 'analyst' = 'admin', variables = {}) {
  const { document, operation } = operationOf(query);
  checkQueryLimits(document, operation, variables, role, { schema, costs });
}

function refusal(query: string, role: 'admin' | 'analyst' = 'admin', variables = {}) {
  try {
    check(query, role, variables);
  } catch (error) {
    return (error as { extensions: Record<string, unknown> }).extensions;
  }
  return undefined;
}

const nested = (levels: number) => `{ ${'a { '.repeat(levels - 1)}b${' }'.repeat(levels - 1)} }`;

/** `fragment F<n> on Query { ...F<n-1> ...F<n-1> }` n deep: 2^n copies of `leaf`. */
const doubling = (n: number, leaf: string) =>
  `query { ...F${n} } fragment F0 on Query { ${leaf} } ` +
  Array.from({ length: n }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`).join(
    ' ',
  );

/** `customers(first: 250)` with `ids` ids a row and `extra` top-level fields: 1 + 250 × (ids + 2) + extra. */
const costing = (budget: number) => {
  const ids = Math.floor((budget - 1) / 250) - 2;
  const extra = budget - 1 - 250 * (ids + 2);
  return `{ ${'__typename '.repeat(extra)}customers(first: 250) { edges { node { ${'id '.repeat(ids)}} } } }`;
};

describe('query limits', () => {
  it('let a customer screen through', () => {
    expect(() =>
      check(`{ customers(first: 50) { totalCount edges { node { id name phone tags
        orders(first: 5) { edges { node { code total status } } }
        zaloFollower { displayName } } } } }`),
    ).not.toThrow();
  });

  it('refuse a query deeper than the limit, counting through fragments', () => {
    expect(() => check(nested(MAX_DEPTH))).not.toThrow();
    expect(refusal(nested(MAX_DEPTH + 1))).toMatchObject({
      code: 'QUERY_TOO_DEEP',
      limit: MAX_DEPTH,
      actual: MAX_DEPTH + 1,
    });
    const viaFragment = `query { a { ...F } } fragment F on T { ${nested(MAX_DEPTH).slice(2, -2)} }`;
    expect(refusal(viaFragment)).toMatchObject({ code: 'QUERY_TOO_DEEP' });
  });

  it('refuse too many aliases', () => {
    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: customer(id: "${i}") { id }`).join(' ')} }`;
    expect(() => check(aliases(MAX_ALIASES))).not.toThrow();
    expect(refusal(aliases(MAX_ALIASES + 1))).toMatchObject({
      code: 'QUERY_TOO_MANY_ALIASES',
      limit: MAX_ALIASES,
      actual: MAX_ALIASES + 1,
    });
  });

  it('multiply a list’s selections by its page size, variables included', () => {
    const costly = `query($n: Int) { customers(first: 250) { edges { node {
      orders(first: $n) { edges { node { code total status buyerName } } } } } } }`;
    expect(refusal(costly, 'admin', { n: 100 })).toMatchObject({
      code: 'QUERY_TOO_COSTLY',
      limit: COST_BUDGET.admin,
    });
    // Analysts' ad-hoc queries get a larger budget.
    expect(refusal(costly, 'analyst', { n: 20 })).toBeUndefined();
    expect(refusal(costly, 'admin', { n: 5 })).toBeUndefined();
  });

  it('pass a cost at the budget and refuse one over, for each role', () => {
    for (const role of ['admin', 'analyst'] as const) {
      const budget = COST_BUDGET[role];
      expect(measure(costing(budget)).cost).toBe(budget);
      expect(refusal(costing(budget), role)).toBeUndefined();
      expect(refusal(costing(budget + 1), role)).toEqual({
        code: 'QUERY_TOO_COSTLY',
        limit: budget,
        actual: budget + 1,
        http: { status: 400 },
      });
    }
  });

  it('leave the standard introspection query alone (tools need it; it reads no data)', () => {
    expect(refusal(getIntrospectionQuery())).toBeUndefined();
    expect(refusal(`{ __typename ${nested(MAX_DEPTH + 1).slice(1)}`)).toMatchObject({
      code: 'QUERY_TOO_DEEP',
    });
  });
});

describe('measuring a document', () => {
  it('measures each fragment once: 40 doubling levels are 2^40 aliases, counted exactly', () => {
    // Walking each spread again took 2^40 steps; this is 41 fragments measured once.
    expect(refusal(doubling(40, 'a: customer(id: "1") { id }'))).toMatchObject({
      code: 'QUERY_TOO_MANY_ALIASES',
      actual: 2 ** 40,
    });
    expect(refusal(doubling(40, 'customer(id: "1") { id }'))).toMatchObject({
      code: 'QUERY_TOO_COSTLY',
      actual: 2 ** 41,
    });
  });

  it('gives a spread fragment the figures of the same fields written out', () => {
    const fields = 'x: customers(first: 3) { edges { node { id y: orders { totalCount } } } }';
    const expanded = `{ ${Array.from({ length: 8 }, () => fields).join(' ')} }`;
    expect(measure(doubling(3, fields))).toEqual(measure(expanded));
    expect(measure(expanded)).toEqual({
      depth: 5,
      aliases: 16,
      cost: 8 * (1 + 3 * (1 + 1 + 1 + 1 + 10 * 1)),
    });
  });

  it('saturates a figure rather than overflowing (2,000 doublings stay a number)', () => {
    const m = measure(doubling(2000, 'customer(id: "1") { id }'));
    expect(m.cost).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('counts a list at the value it runs with: variable, declared default, SDL default', () => {
    const query = `query Q($n: Int = 250, $m: Int = 100) { customers(first: $n) { edges { node {
      id orders(first: $m) { edges { node { code } } } } } } }`;
    const literal = `{ customers(first: 250) { edges { node {
      id orders(first: 100) { edges { node { code } } } } } } }`;
    // orders: 1 + 100 × 3; a row: 1 (node) + 1 (id) + 301; customers: 1 + 250 × (1 + 303).
    expect(measure(literal).cost).toBe(76_001);
    expect(measure(query).cost).toBe(76_001);
    expect(refusal(query)).toMatchObject({ code: 'QUERY_TOO_COSTLY', actual: 76_001 });
    expect(measure(query, { n: 2, m: 3 }).cost).toBe(1 + 2 * (1 + 1 + 1 + 1 + 3 * 3));
    // A variable neither sent nor defaulted leaves the argument to its SDL default.
    const undefaulted = `query($n: Int) { customers(first: $n) { edges { node { id } } } }`;
    expect(measure(undefaulted).cost).toBe(1 + 20 * 3);
  });

  it('reads a left-out `first` from the SDL default, never an assumed figure', () => {
    // customers defaults to 20, orders and marketing to 10, notes to 20.
    const leftOut = `{ customers { edges { node { orders { edges { node { code } } }
      marketing { totalCount } notes { totalCount } } } } }`;
    const written = `{ customers(first: 20) { edges { node { orders(first: 10) { edges { node { code } } }
      marketing(first: 10) { totalCount } notes(first: 20) { totalCount } } } } }`;
    expect(measure(leftOut).cost).toBe(measure(written).cost);
    expect(measure(leftOut).cost).toBe(1 + 20 * (1 + 1 + (1 + 10 * 3) + (1 + 10) + (1 + 20)));
  });

  it('counts a list without a slicing argument, or with first: null, at its cap', () => {
    expect(measure('{ customerLists { name } }').cost).toBe(1 + 100 * 1);
    expect(measure('{ customer(id: "1") { phones { number } } }').cost).toBe(1 + 1 + 10 * 1);
    expect(measure('{ customers(first: null) { totalCount } }').cost).toBe(1 + 250);
  });

  it('weighs a phone list by its numbers and a CSV by its lines, without splitting it', () => {
    const mark = `mutation($p: [String!], $c: String) {
      markCustomersByPhones(group: PRIORITY, phones: $p, csv: $c) { matched } }`;
    const phones = Array.from({ length: 100_000 }, (_, i) => `09${String(i).padStart(8, '0')}`);
    // 250 per 1,000 numbers, plus the field and `matched`.
    expect(measure(mark, { p: phones }).cost).toBe(25_000 + 2);
    expect(measure(mark, { c: `phone\n${phones.slice(1).join('\r\n')}` }).cost).toBe(25_000 + 2);
    expect(measure(mark, { p: ['0912345678'] }).cost).toBe(1 + 2);
    expect(countLines('a\nb\r\nc\rd')).toBe(4);
    expect(measure(mark, { p: phones }).cost).toBeLessThanOrEqual(COST_BUDGET.admin);
    const twice = `mutation($p: [String!]) { a: markCustomersByPhones(group: PRIORITY, phones: $p) { matched }
      b: markCustomersByPhones(group: RESTRICTED, phones: $p) { matched } }`;
    expect(refusal(twice, 'admin', { p: phones })).toMatchObject({
      code: 'QUERY_TOO_COSTLY',
      actual: 2 * (25_000 + 2),
    });
  });

  it('gives each bulk job a fixed weight, so aliases cannot multiply them freely', () => {
    const jobs = (n: number) =>
      `mutation { ${Array.from(
        { length: n },
        (_, i) => `j${i}: startBulkJob(filter: {}, action: { addTags: ["x"] }) { id }`,
      ).join(' ')} }`;
    expect(measure(jobs(1)).cost).toBe(1000 + 1);
    expect(refusal(jobs(29))).toBeUndefined();
    expect(refusal(jobs(30))).toMatchObject({ code: 'QUERY_TOO_COSTLY', actual: 30 * 1001 });
    // deleteCustomers starts a job only for a filter; ids weigh 1 each.
    expect(measure('mutation { deleteCustomers(filter: {}) { deleted } }').cost).toBe(1002);
    expect(measure('mutation { deleteCustomers(ids: ["a", "b"]) { deleted } }').cost).toBe(4);
  });
});

describe('the cost directives in the supergraph', () => {
  it('give every list of objects a cap, and every paged list `first` as its page size', () => {
    const checked: string[] = [];
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const named = getNamedType(field.type);
        const paged =
          field.args.some((a) => a.name === 'first') || named.name.endsWith('Connection');
        // A connection's edges are sized by the connection's own `first`.
        const listOfObjects =
          isListType(getNullableType(field.type)) &&
          !isLeafType(named) &&
          !type.name.endsWith('Connection');
        if (!paged && !listOfObjects) continue;
        checked.push(`${type.name}.${field.name}`);
        const size = costs.get(`${type.name}.${field.name}`)?.listSize;
        const ok =
          size?.assumedSize !== undefined && (!paged || size.slicingArguments.includes('first'));
        if (!ok) missing.push(`${type.name}.${field.name}`);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['Query.customers', 'Customer.orders']));
    expect(missing).toEqual([]);
  });

  it('state the caps the subgraphs enforce, once, in the SDL', () => {
    expect(costs.get('Query.customers')?.listSize?.assumedSize).toBe(250);
    expect(costs.get('Customer.orders')?.listSize?.assumedSize).toBe(100);
    expect(costs.get('Mutation.startBulkJob')?.weight).toBe(1000);
    expect(costs.get('Mutation.markCustomersByPhones')?.argumentWeights.get('csv')).toBe(250);
  });

  it('are found under whatever name the @link gives them', () => {
    const sdl = (link: string) => `schema ${link} { query: Query }
      type Query { a(first: Int): [A] @cost__listSize(assumedSize: 7, slicingArguments: ["first"])
                   b: [A] @ls(assumedSize: 9) c: Int @price(weight: 3) } type A { x: Int }`;
    const plain = readCostDirectives(sdl('@link(url: "https://specs.apollo.dev/cost/v0.1")'));
    expect(plain.get('Query.a')?.listSize).toEqual({ assumedSize: 7, slicingArguments: ['first'] });
    const renamed = readCostDirectives(
      sdl(
        '@link(url: "https://specs.apollo.dev/cost/v0.1", as: "price", import: [{ name: "@listSize", as: "@ls" }])',
      ),
    );
    expect(renamed.get('Query.b')?.listSize?.assumedSize).toBe(9);
    expect(renamed.get('Query.c')?.weight).toBe(3);
  });
});

describe('tokens', () => {
  it('are counted past the limit, for the refusal’s `actual`', () => {
    expect(countTokens(`{ ${'a '.repeat(MAX_TOKENS)}}`)).toBe(MAX_TOKENS + 2);
    expect(countTokens('{ a } # a comment is not a token')).toBe(3);
    // Junk far past the limit is not read to its end.
    expect(countTokens(`{ ${'a '.repeat(20 * MAX_TOKENS)}}`)).toBe(TOKENS_COUNTED + 1);
  });
});
