// contacts alone: the customer record and list, on real Postgres.
import { DEMO_CUSTOMERS } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';

const ws: Identity = { workspaceId: 'contacts-ws', userId: 'u1', role: 'admin' };
const empty: Identity = { workspaceId: 'contacts-empty', userId: 'u2', role: 'analyst' };

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph, { demoWorkspaceId: ws.workspaceId });
});
afterAll(() => subgraph?.stop());

it('returns a customer with its phones, and null for unknown or malformed ids', async () => {
  const c = DEMO_CUSTOMERS[3];
  const body = await subgraph.query(
    ws,
    `query($a: ID!, $b: ID!, $c: ID!) {
      a: customer(id: $a) { name city birthday gender phone phones { number primary } createdAt }
      b: customer(id: $b) { id }
      c: customer(id: $c) { id } }`,
    { a: c.id, b: '00000000-0000-4000-8000-999999999999', c: 'nope' },
  );
  expect(body.errors).toBeUndefined();
  expect(body.data).toEqual({
    a: {
      name: c.name,
      city: c.city,
      birthday: c.birthday,
      gender: c.gender,
      phone: c.phone,
      phones: [{ number: c.phone, primary: true }],
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    },
    b: null,
    c: null,
  });
});

it('lists only the caller’s workspace', async () => {
  const LIST = '{ customers(first: 100) { edges { node { id } } pageInfo { hasNextPage } } }';
  const mine = await subgraph.query(ws, LIST);
  expect(mine.data!.customers.edges).toHaveLength(DEMO_CUSTOMERS.length);
  const theirs = await subgraph.query(empty, LIST);
  expect(theirs.data!.customers).toEqual({ edges: [], pageInfo: { hasNextPage: false } });
});

it('answers /health and /ready', async () => {
  const base = subgraph.url.replace('/graphql', '');
  expect(await (await fetch(`${base}/health`)).json()).toEqual({
    status: 'ok',
    service: 'contacts',
  });
  const ready = await fetch(`${base}/ready`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ ready: true, checks: { migrations: 'applied' } });
});
