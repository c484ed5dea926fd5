import { Kind, getIntrospectionQuery, parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { COST_BUDGET, MAX_ALIASES, MAX_DEPTH, checkQueryLimits } from './query-limits';

function check(query: string, role: 'admin' | 'analyst' = 'admin', variables = {}) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  checkQueryLimits(document, operation, variables, role);
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
    });
  });

  it('multiply a list’s selections by its page size, variables included', () => {
    const costly = `query($n: Int) { customers(first: 250) { edges { node {
      orders(first: $n) { edges { node { code total status items { name } } } } } } } }`;
    expect(refusal(costly, 'admin', { n: 100 })).toMatchObject({
      code: 'QUERY_TOO_COSTLY',
      limit: COST_BUDGET.admin,
    });
    // Analysts' ad-hoc queries get a larger budget.
    expect(refusal(costly, 'analyst', { n: 20 })).toBeUndefined();
    expect(refusal(costly, 'admin', { n: 5 })).toBeUndefined();
  });

  it('leave the standard introspection query alone (tools need it; it reads no data)', () => {
    expect(refusal(getIntrospectionQuery())).toBeUndefined();
    expect(refusal(`{ __typename ${nested(MAX_DEPTH + 1).slice(1)}`)).toMatchObject({
      code: 'QUERY_TOO_DEEP',
    });
  });
});
