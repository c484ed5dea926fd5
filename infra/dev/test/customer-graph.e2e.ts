// The customer graph end to end: the gateway on the composed supergraph, four real
// subgraph servers on real Postgres databases, JWTs in, signed context out.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  CONTEXT_HEADER,
  DEMO_CUSTOMERS,
  SIGNATURE_HEADER,
  signIdentity,
} from '@customer-graph/runtime';
import { SUBGRAPH_NAMES } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { startTestStack } from './stack';
import type { TestStack } from './stack';

const wsA = `ws-a-${randomBytes(3).toString('hex')}`;
const wsB = `ws-b-${randomBytes(3).toString('hex')}`;
const adminA: Identity = { workspaceId: wsA, userId: 'alice', role: 'admin' };
const adminB: Identity = { workspaceId: wsB, userId: 'bob', role: 'admin' };
const customerB = randomUUID();
const demo = DEMO_CUSTOMERS[0];

const PAGE = `
  query Page($id: ID!) {
    customer(id: $id) {
      id name phone email birthday gender
      orders(first: 2) { edges { node { code total source customer { id } } } pageInfo { hasNextPage } }
      marketing(first: 5, channel: ZNS) { edges { node { channel campaignName status } } }
      zaloFollower { zaloUserId displayName status customer { name } }
    }
  }`;

let stack: TestStack;
let tokenA: string;

beforeAll(async () => {
  stack = await startTestStack(wsA);
  tokenA = await stack.token(adminA);
  // Workspace B: one customer with one order, written straight to each owner's tables.
  await stack.query(await stack.token(adminB), '{ customers(first: 1) { edges { cursor } } }');
  await stack
    .db('contacts')
    .query(`INSERT INTO customer (id, workspace_id, name) VALUES ($1, $2, 'Khách của B')`, [
      customerB,
      wsB,
    ]);
  await stack
    .db('orders-loyalty')
    .query(`INSERT INTO workspace (id) VALUES ($1) ON CONFLICT DO NOTHING`, [wsB]);
  await stack.db('orders-loyalty').query(
    `INSERT INTO customer_order (workspace_id, customer_id, code, source, status, subtotal, total, ordered_at, source_updated_at)
     VALUES ($1, $2, 'B-1', 'WEBSITE', 'COMPLETED', 99000, 99000, now(), now())`,
    [wsB, customerB],
  );
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the customer page through the gateway', () => {
  it('resolves every tab from its own subgraph in one query', async () => {
    const { status, body } = await stack.query(tokenA, PAGE, { id: demo.id });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const customer = body.data!.customer as Record<string, any>;
    expect(customer).toMatchObject({
      id: demo.id,
      name: demo.name,
      phone: demo.phone,
      email: demo.email,
      birthday: demo.birthday,
      gender: demo.gender,
    });
    expect(customer.orders.edges).toHaveLength(2);
    expect(customer.orders.pageInfo.hasNextPage).toBe(true);
    expect(customer.orders.edges[0].node.customer.id).toBe(demo.id);
    expect(typeof customer.orders.edges[0].node.total).toBe('number');
    expect(customer.marketing.edges).toEqual([
      { node: { channel: 'ZNS', campaignName: 'Tri ân khách hàng tháng 3', status: 'DELIVERED' } },
    ]);
    expect(customer.zaloFollower).toMatchObject({
      displayName: demo.name,
      status: 'FOLLOWING',
      customer: { name: demo.name },
    });
  });

  it('pages through customers with cursors, newest first, without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const { body } = await stack.query(
        tokenA,
        'query($after: String) { customers(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      const page = body.data!.customers as any;
      seen.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual([...DEMO_CUSTOMERS].reverse().map((c) => c.id));
  });

  it('names the argument of a bad page size or cursor', async () => {
    const tooMany = await stack.query(tokenA, '{ customers(first: 1000) { edges { cursor } } }');
    expect(tooMany.body.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
    const badCursor = await stack.query(
      tokenA,
      `{ customer(id: "${demo.id}") { orders(after: "nope") { edges { cursor } } } }`,
    );
    expect(badCursor.body.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
  });

  it("holds each tab to the cap its SDL states, and refuses another tab's cursor", async () => {
    const tab = (field: string) =>
      `query($n: Int, $a: String) { customer(id: "${demo.id}") {
         ${field}(first: $n, after: $a) { edges { cursor } pageInfo { endCursor } } } }`;
    const over = await stack.query(tokenA, tab('orders'), { n: 101 });
    expect(over.body.errors?.[0]).toMatchObject({
      message: '"first" must be an integer from 0 to 100, got 101',
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
    });
    const orders = await stack.query(tokenA, tab('orders'), { n: 1 });
    expect(orders.body.errors).toBeUndefined();
    const { customer } = orders.body.data as {
      customer: { orders: { pageInfo: { endCursor: string } } };
    };
    const cursor = customer.orders.pageInfo.endCursor;
    const next = await stack.query(tokenA, tab('orders'), { n: 1, a: cursor });
    expect(next.body.errors).toBeUndefined();
    for (const other of ['marketing', 'notes']) {
      const refused = await stack.query(tokenA, tab(other), { n: 1, a: cursor });
      expect(refused.body.errors?.[0]).toMatchObject({
        message: `"after" is a cursor of Customer.orders, not of Customer.${other}`,
        extensions: { code: 'BAD_USER_INPUT', field: 'after' },
      });
    }
  });

  it('provisions a workspace first seen in a valid token', async () => {
    const fresh = `ws-new-${randomBytes(3).toString('hex')}`;
    const token = await stack.token({ workspaceId: fresh, userId: 'u', role: 'analyst' });
    const { body } = await stack.query(token, '{ customers { edges { cursor } } }');
    expect(body.data).toEqual({ customers: { edges: [] } });
    const rows = await stack
      .db('contacts')
      .query('SELECT id FROM workspace WHERE id = $1', [fresh]);
    expect(rows).toEqual([{ id: fresh }]);
  });
});

describe('query limits at the gateway', () => {
  it('refuse a query too deep, too costly or too long before any subgraph is asked', async () => {
    const deep = `{ customer(id: "${demo.id}") { ${'zaloFollower { customer { '.repeat(6)}id${' } }'.repeat(6)} } }`;
    const tooDeep = await stack.query(tokenA, deep);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.errors?.[0].extensions).toMatchObject({
      code: 'QUERY_TOO_DEEP',
      limit: 12,
    });
    const costly = await stack.query(
      tokenA,
      '{ customers(first: 250) { edges { node { orders(first: 100) { edges { node { code total status } } } } } } }',
    );
    expect(costly.body.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY' });
    const long = await stack.query(tokenA, `{ ${'__typename '.repeat(6000)}}`);
    expect(long.body.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });
});

describe('authentication at the gateway', () => {
  it.each([
    ['no token', undefined],
    ['a malformed token', 'Bearer not-a-jwt'],
    [
      'a token signed with another secret',
      'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
    ],
  ])('answers 401 to %s', async (_label, authorization) => {
    const res = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorization ? { authorization } : {}),
      },
      body: JSON.stringify({ query: '{ customers { edges { cursor } } }' }),
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('drops context headers a client sends, using only the verified token', async () => {
    // A client with A's token claims, in the internal headers, to be B's admin.
    const forged = signIdentity(adminB, 'guessed-secret-guessed-secret-guessed', 'contacts');
    const res = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${tokenA}`,
        ...forged,
      },
      body: JSON.stringify({ query: `{ customer(id: "${customerB}") { id } }` }),
    });
    expect(await res.json()).toEqual({ data: { customer: null } });
  });
});

describe('tenant isolation', () => {
  it('gives A null for B’s customer through customer(id:)', async () => {
    const { body } = await stack.query(tokenA, PAGE, { id: customerB });
    expect(body).toEqual({ data: { customer: null } });
  });

  it('lets B see its own customer and order', async () => {
    const { body } = await stack.query(await stack.token(adminB), PAGE, { id: customerB });
    const customer = body.data!.customer as any;
    expect(customer.name).toBe('Khách của B');
    expect(customer.orders.edges.map((e: any) => e.node.code)).toEqual(['B-1']);
  });

  it('gives A null from contacts’ _entities for B’s customer', async () => {
    const res = await stack.subgraphs.contacts.signedFetch(
      adminA,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id name } } }',
      {
        r: [
          { __typename: 'Customer', id: customerB },
          { __typename: 'Customer', id: demo.id },
        ],
      },
    );
    expect(await res.json()).toEqual({
      data: { _entities: [null, { id: demo.id, name: demo.name }] },
    });
  });

  it('shows A none of B’s orders through orders-loyalty’s _entities', async () => {
    const res = await stack.subgraphs['orders-loyalty'].signedFetch(
      adminA,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { orders { edges { node { code } } } } } }',
      { r: [{ __typename: 'Customer', id: customerB }] },
    );
    expect(await res.json()).toEqual({ data: { _entities: [{ orders: { edges: [] } }] } });
  });
});

describe('subgraphs trust only the gateway', () => {
  const post = (url: string, headers: Record<string, string>, query: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });

  it.each([...SUBGRAPH_NAMES])(
    '%s answers 401 to unsigned _service and _entities requests',
    async (name) => {
      const url = stack.subgraphs[name].url;
      const service = await post(url, {}, '{ _service { sdl } }');
      const entities = await post(
        url,
        {},
        `{ _entities(representations: [{ __typename: "Customer", id: "${demo.id}" }]) { __typename } }`,
      );
      expect([service.status, entities.status]).toEqual([401, 401]);
    },
  );

  it('answers 401 to a context forged by swapping the workspace', async () => {
    const real = signIdentity(adminA, 'unknown-to-attacker-unknown-to-attacker', 'contacts');
    const genuine = signIdentity(adminA, randomBytes(32).toString('hex'), 'contacts');
    const swapped = Buffer.from(
      JSON.stringify({ w: wsB, u: 'mallory', r: 'admin', s: 'contacts', t: Date.now() }),
    ).toString('base64url');
    for (const headers of [
      real,
      { [CONTEXT_HEADER]: swapped, [SIGNATURE_HEADER]: genuine[SIGNATURE_HEADER] },
    ]) {
      const res = await post(
        stack.subgraphs.contacts.url,
        headers,
        '{ customers { edges { cursor } } }',
      );
      expect(res.status).toBe(401);
    }
  });
});

describe('a subgraph that is down', () => {
  it('fails only its own tab; the rest of the page loads', async () => {
    await stack.subgraphs.marketing.stop();
    const { body } = await stack.query(tokenA, PAGE, { id: demo.id });
    const customer = body.data!.customer as any;
    expect(customer.name).toBe(demo.name);
    expect(customer.orders.edges).toHaveLength(2);
    expect(customer.marketing).toBeNull();
    expect(body.errors?.map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'marketing' }),
    ]);
  });
});
