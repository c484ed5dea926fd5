// Query limits through the real gateway (issue 9, "limits that are linear and
// exact"): each attack an ordinary token found is refused with the figure it really
// costs, and every limit passes at its value and refuses one over, with its code,
// `limit` and `actual`.
import { randomBytes } from 'node:crypto';
import { startTestStack } from './stack';
import type { GraphQLResult, TestStack } from './stack';

const ws = `limits-${randomBytes(3).toString('hex')}`;
let stack: TestStack;
const tokens = {} as Record<'admin' | 'analyst', string>;

async function gql(query: string, variables?: object, role: 'admin' | 'analyst' = 'admin') {
  return (await stack.query(tokens[role], query, variables)).body;
}

/** A refusal's extensions, with whether data came back and how many errors. */
function refusal(body: GraphQLResult['body']) {
  return { data: body.data ?? null, errors: body.errors?.length, ...body.errors?.[0].extensions };
}

/** 'ran' when the request ran without an error, else the error codes. */
const outcome = (body: GraphQLResult['body']) =>
  body.errors ? body.errors.map((e) => e.extensions?.code) : 'ran';

const phone = (i: number) => `0912${String(i).padStart(6, '0')}`;

beforeAll(async () => {
  stack = await startTestStack();
  for (const role of ['admin', 'analyst'] as const) {
    tokens[role] = await stack.token({ workspaceId: ws, userId: `${role}-1`, role });
  }
  const created = await gql(
    'mutation { createCustomer(input: { name: "An", phone: "0912000001" }) { id } }',
  );
  if (created.errors) throw new Error(JSON.stringify(created.errors));
}, 60_000);

afterAll(() => stack?.stop());

describe('the attacks of issue 9', () => {
  it('refuses 40 levels of doubling fragments, measuring each once, while /health answers', async () => {
    const doubling =
      'query { ...F40 } fragment F0 on Query { a: customer(id: "1") { id } } ' +
      Array.from(
        { length: 40 },
        (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`,
      ).join(' ');
    const health = new URL('/health', stack.gateway.url);
    const [res, alive] = await Promise.all([gql(doubling), fetch(health)]);
    expect(alive.status).toBe(200);
    // 2^40 copies of one aliased field: counted, not walked.
    expect(refusal(res)).toMatchObject({
      data: null,
      errors: 1,
      code: 'QUERY_TOO_MANY_ALIASES',
      limit: 60,
      actual: 2 ** 40,
    });
  });

  it('counts variables left to their declared defaults at those defaults', async () => {
    const rows = 'edges { node { id orders(first: $m) { edges { node { code } } } } }';
    const defaulted = `query Q($n: Int = 250, $m: Int = 100) { customers(first: $n) { ${rows} } }`;
    const literal = `{ customers(first: 250) { ${rows.replace('$m', '100')} } }`;
    // orders 1 + 100 × 3; a row 1 + 1 + 301; customers 1 + 250 × 304.
    expect(refusal(await gql(defaulted))).toMatchObject({
      data: null,
      errors: 1,
      code: 'QUERY_TOO_COSTLY',
      limit: 30_000,
      actual: 76_001,
    });
    expect(refusal(await gql(literal))).toMatchObject({
      data: null,
      errors: 1,
      code: 'QUERY_TOO_COSTLY',
      actual: 76_001,
    });
    expect(outcome(await gql(defaulted, { n: 5, m: 5 }))).toBe('ran');
  });

  it('counts a left-out `first` at its SDL default: 60 aliases cost what they fetch', async () => {
    const block = (first: (n: number) => string) =>
      `customers${first(20)} { edges { node { id name
        orders${first(10)} { edges { node { code total } } }
        marketing${first(10)} { edges { node { channel } } }
        notes${first(20)} { edges { node { text } } } } } }`;
    const doc = (first: (n: number) => string) =>
      `{ ${Array.from({ length: 60 }, (_, i) => `c${i}: ${block(first)}`).join(' ')} }`;
    // A row: node, id, name, orders 1 + 10 × 4, marketing 1 + 10 × 3, notes 1 + 20 × 3.
    const one = 1 + 20 * (1 + 1 + 2 + 41 + 31 + 61);
    for (const role of ['admin', 'analyst'] as const) {
      expect(
        refusal(
          await gql(
            doc(() => ''),
            undefined,
            role,
          ),
        ),
      ).toMatchObject({ data: null, errors: 1, code: 'QUERY_TOO_COSTLY', actual: 60 * one });
      expect(
        refusal(
          await gql(
            doc((n) => `(first: ${n})`),
            undefined,
            role,
          ),
        ),
      ).toMatchObject({ data: null, errors: 1, actual: 60 * one });
    }
  });

  it('counts a list without a page size at its cap', async () => {
    // Saved lists have no `first`: counted at their cap of 100, each bringing 250 rows.
    const lists =
      '{ customerLists { name customers(first: 250) { edges { node { id name phone } } } } }';
    expect(refusal(await gql(lists))).toMatchObject({
      data: null,
      errors: 1,
      code: 'QUERY_TOO_COSTLY',
      actual: 1 + 100 * (1 + 1 + 250 * (1 + 1 + 3)),
    });
  });

  it('weighs aliased phone lists by their numbers, so 60 aliases cannot multiply one', async () => {
    const mark = (n: number, arg: 'phones: $p' | 'csv: $c') =>
      `mutation(${arg === 'csv: $c' ? '$c: String' : '$p: [String!]'}) { ${Array.from(
        { length: n },
        (_, i) => `m${i}: markCustomersByPhones(group: PRIORITY, ${arg}) { matched }`,
      ).join(' ')} }`;
    const phones = Array.from({ length: 2000 }, (_, i) => phone(i));
    // Each: 1 + 2,000 × 250 / 1,000 + matched = 502.
    expect(refusal(await gql(mark(60, 'phones: $p'), { p: phones }))).toMatchObject({
      data: null,
      errors: 1,
      code: 'QUERY_TOO_COSTLY',
      limit: 30_000,
      actual: 60 * 502,
    });
    const csv = ['phone', ...phones.slice(1)].join('\n');
    expect(refusal(await gql(mark(60, 'csv: $c'), { c: csv }))).toMatchObject({
      data: null,
      errors: 1,
      actual: 60 * 502,
    });
    const one = await gql(mark(1, 'phones: $p'), { p: phones });
    expect(outcome(one)).toBe('ran');
    expect(one.data).toEqual({ m0: { matched: 1 } });
  });
});

describe('each limit passes at its value and refuses one over', () => {
  it('tokens: 5,000', async () => {
    // 16 tokens around the list; each number is one more.
    const doc = (n: number) =>
      `mutation { markCustomersByPhones(group: RESTRICTED, phones: [${Array.from(
        { length: n - 16 },
        (_, i) => `"${phone(i)}"`,
      ).join(', ')}]) { matched } }`;
    expect(outcome(await gql(doc(5000)))).toBe('ran');
    expect(refusal(await gql(doc(5001)))).toMatchObject({
      data: null,
      errors: 1,
      code: 'GRAPHQL_PARSE_FAILED',
      limit: 5000,
      actual: 5001,
    });
  });

  it('depth: 12', async () => {
    const doc = (last: string) =>
      `{ customers(first: 1) { edges { node { orders(first: 1) { edges { node { customer {
        orders(first: 1) { edges { node { customer { ${last} } } } } } } } } } } } }`;
    expect(outcome(await gql(doc('id')))).toBe('ran');
    expect(refusal(await gql(doc('zaloFollower { id }')))).toMatchObject({
      data: null,
      errors: 1,
      code: 'QUERY_TOO_DEEP',
      limit: 12,
      actual: 13,
    });
  });

  it('aliases: 60', async () => {
    const doc = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: customerByPhone(phone: "${phone(i)}") { id }`).join(' ')} }`;
    expect(outcome(await gql(doc(60)))).toBe('ran');
    expect(refusal(await gql(doc(61)))).toMatchObject({
      data: null,
      errors: 1,
      code: 'QUERY_TOO_MANY_ALIASES',
      limit: 60,
      actual: 61,
    });
  });

  it('cost: 30,000 for the screens’ roles, 150,000 for analysts', async () => {
    // 1 + 250 × (ids + 2) for the page, plus one per top-level __typename.
    const costing = (budget: number) => {
      const ids = Math.floor((budget - 1) / 250) - 2;
      const extra = budget - 1 - 250 * (ids + 2);
      return `{ ${'__typename '.repeat(extra)}customers(first: 250) { edges { node { ${'id '.repeat(ids)}} } } }`;
    };
    for (const [role, budget] of [
      ['admin', 30_000],
      ['analyst', 150_000],
    ] as const) {
      expect(outcome(await gql(costing(budget), undefined, role))).toBe('ran');
      expect(refusal(await gql(costing(budget + 1), undefined, role))).toMatchObject({
        data: null,
        errors: 1,
        code: 'QUERY_TOO_COSTLY',
        limit: budget,
        actual: budget + 1,
      });
    }
  });
});
