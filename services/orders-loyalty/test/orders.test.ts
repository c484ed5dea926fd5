// orders-loyalty alone: its Customer.orders tab as the gateway calls it (_entities),
// on a real Postgres database seeded with the demo workspace.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DEMO_CUSTOMERS } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { ordersLoyaltySubgraph } from '../src';

const ws: Identity = { workspaceId: 'orders-ws', userId: 'u1', role: 'editor' };
const other: Identity = { workspaceId: 'orders-other', userId: 'u2', role: 'admin' };
const ORDERS = `query($r: [_Any!]!, $first: Int, $after: String) {
  _entities(representations: $r) {
    ... on Customer { id orders(first: $first, after: $after) {
      edges { cursor node { id code total status customer { id } } }
      pageInfo { hasNextPage endCursor } } }
  }
}`;
const refs = (...ids: string[]) => ids.map((id) => ({ __typename: 'Customer', id }));

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(ordersLoyaltySubgraph, { demoWorkspaceId: ws.workspaceId });
});
afterAll(() => subgraph?.stop());

describe('Customer.orders', () => {
  it('pages each customer’s orders, newest first, in one query for many customers', async () => {
    const ids = DEMO_CUSTOMERS.slice(0, 3).map((c) => c.id);
    await subgraph.query(ws, ORDERS, { r: refs(ids[0]), first: 1 }); // warm the workspace cache
    // Every statement, through TypeORM or prepared (order.pages.ts), goes through a pg client.
    const spy = jest.spyOn(Client.prototype, 'query');
    const body = await subgraph.query(ws, ORDERS, {
      r: refs(...ids, randomUUID(), 'not-a-uuid'),
      first: 2,
    });
    const textOf = (q: unknown) => (typeof q === 'string' ? q : (q as { text?: string }).text);
    const selects = spy.mock.calls.filter(([q]) => /FROM customer_order t/.test(textOf(q) ?? ''));
    spy.mockRestore();
    expect(selects).toHaveLength(1);
    const entities = body.data!._entities;
    for (const [i, id] of ids.entries()) {
      expect(entities[i].orders.edges).toHaveLength(2);
      expect(entities[i].orders.pageInfo.hasNextPage).toBe(true);
      expect(entities[i].orders.edges.every((e: any) => e.node.customer.id === id)).toBe(true);
      expect(typeof entities[i].orders.edges[0].node.total).toBe('number');
    }
    expect(entities[3].orders).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
    expect(entities[4].orders.edges).toEqual([]);
  });

  it('continues after a cursor to the last page without repeats', async () => {
    const id = DEMO_CUSTOMERS[1].id;
    const first = await subgraph.query(ws, ORDERS, { r: refs(id), first: 2 });
    const page1 = first.data!._entities[0].orders;
    const second = await subgraph.query(ws, ORDERS, {
      r: refs(id),
      first: 2,
      after: page1.pageInfo.endCursor,
    });
    const page2 = second.data!._entities[0].orders;
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const codes = [...page1.edges, ...page2.edges].map((e: any) => e.node.code);
    expect(new Set(codes).size).toBe(3);
  });

  it('shows another workspace none of these orders, and resolves no Order of them', async () => {
    const mine = await subgraph.query(ws, ORDERS, { r: refs(DEMO_CUSTOMERS[0].id), first: 1 });
    const orderId = mine.data!._entities[0].orders.edges[0].node.id;
    const theirs = await subgraph.query(other, ORDERS, { r: refs(DEMO_CUSTOMERS[0].id) });
    expect(theirs.data!._entities[0].orders.edges).toEqual([]);
    const order = await subgraph.query(
      other,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { code } } }',
      { r: [{ __typename: 'Order', id: orderId }] },
    );
    expect(order.data!._entities).toEqual([null]);
  });

  it('refuses a page size over the limit, naming the argument', async () => {
    const body = await subgraph.query(ws, ORDERS, { r: refs(DEMO_CUSTOMERS[0].id), first: 101 });
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});
