// Customer.orderSummary against a real Postgres: cancelled and returned orders do not
// count, and the figures equal a recount in SQL.
import { randomUUID } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { ordersLoyaltySubgraph } from '../src';

const editor: Identity = { workspaceId: 'summary-ws', userId: 'e1', role: 'editor' };
let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(ordersLoyaltySubgraph);
});
afterAll(() => subgraph?.stop());

const order = (code: string, customerId: string, status: string, total: number, day: number) => ({
  source: 'WEBSITE',
  code,
  status,
  customerId,
  items: [{ productName: 'Áo', quantity: 1, unitPrice: total }],
  subtotal: total,
  total,
  orderedAt: new Date(Date.UTC(2026, 0, day)).toISOString(),
  updatedAt: new Date(Date.UTC(2026, 0, day, 1)).toISOString(),
});

const SUMMARY = `query($ids: [_Any!]!) { _entities(representations: $ids) { ... on Customer {
  id orderSummary { orderCount completedCount totalSpent averageOrderValue firstOrderAt lastOrderAt } } } }`;

it('counts what a customer bought, leaving cancelled and returned orders out', async () => {
  const [lan, hoa, none] = [randomUUID(), randomUUID(), randomUUID()];
  const up = await subgraph.query(
    editor,
    `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created rejected { field } } }`,
    {
      o: [
        order('S-1', lan, 'COMPLETED', 100_000, 3),
        order('S-2', lan, 'PENDING', 50_001, 5),
        order('S-3', lan, 'CANCELLED', 900_000, 9),
        order('S-4', lan, 'RETURNED', 700_000, 1),
        order('S-5', hoa, 'CANCELLED', 10_000, 2),
      ],
    },
  );
  expect(up.data?.upsertOrders).toEqual({ created: 5, rejected: [] });
  const body = await subgraph.query(editor, SUMMARY, {
    ids: [lan, hoa, none].map((id) => ({ __typename: 'Customer', id })),
  });
  expect(body.errors).toBeUndefined();
  const [a, b, c] = body.data!._entities as { orderSummary: Record<string, unknown> }[];
  expect(a.orderSummary).toEqual({
    orderCount: 2,
    completedCount: 1,
    totalSpent: 150_001,
    averageOrderValue: 75_000,
    firstOrderAt: '2026-01-03T00:00:00.000Z',
    lastOrderAt: '2026-01-05T00:00:00.000Z',
  });
  const none0 = {
    orderCount: 0,
    completedCount: 0,
    totalSpent: 0,
    averageOrderValue: 0,
    firstOrderAt: null,
    lastOrderAt: null,
  };
  expect(b.orderSummary).toEqual(none0);
  expect(c.orderSummary).toEqual(none0);
  // The same figures, recounted in SQL.
  const [recount] = await subgraph.db.query(
    `SELECT count(*)::int AS n, sum(total)::text AS spent FROM customer_order
      WHERE workspace_id = $1 AND customer_id = $2 AND status NOT IN ('CANCELLED', 'RETURNED')`,
    [editor.workspaceId, lan],
  );
  expect(recount).toEqual({
    n: a.orderSummary.orderCount,
    spent: String(a.orderSummary.totalSpent),
  });
});
