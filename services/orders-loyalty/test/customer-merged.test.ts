// orders-loyalty and contacts.customer.merged, on real Postgres, the subgraph's handlers
// applied as its consumer applies them (the runtime's projection first, then the phone
// directory, then orders): the merged customers' orders move to the survivor, their
// numbers too, the survivor's figures are published once, and a second delivery
// changes nothing. A merged id's tab is the survivor's, for staff too.
import { randomUUID } from 'node:crypto';
import {
  CUSTOMER_ASSIGNED,
  CUSTOMER_MERGED,
  CUSTOMER_PHONES_CHANGED,
  createEvent,
} from '@customer-graph/runtime';
import type { AnyEvent, CustomerSummaryChangedPayload, Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { ordersLoyaltySubgraph } from '../src';
import { customerByPhone } from '../src/phone-directory/phone-directory.module';

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(ordersLoyaltySubgraph);
});
afterAll(() => subgraph?.stop());

const newWorkspace = () => `merged-${randomUUID().slice(0, 8)}`;
const editor = (workspaceId: string): Identity => ({ workspaceId, userId: 'e1', role: 'editor' });
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const [x, y, z] = ['+84912000001', '+84912000002', '+84912000003'];

const apply = (...events: AnyEvent[]) => applyEvents(subgraph.db, ordersLoyaltySubgraph, ...events);

const phones = (ws: string, customerId: string, list: string[], minute: number): AnyEvent => ({
  ...createEvent({
    type: CUSTOMER_PHONES_CHANGED,
    workspaceId: ws,
    key: customerId,
    payload: { customerId, phones: list },
  }),
  occurredAt: at(minute),
});
const merged = (ws: string, survivorId: string, mergedIds: string[], minute: number): AnyEvent => ({
  ...createEvent({
    type: CUSTOMER_MERGED,
    workspaceId: ws,
    key: survivorId,
    payload: { mergeId: randomUUID(), survivorId, mergedIds, mergedBy: 'editor-1' },
  }),
  occurredAt: at(minute),
});
const assigned = (ws: string, customerId: string, staff: string, minute: number): AnyEvent => ({
  ...createEvent({
    type: CUSTOMER_ASSIGNED,
    workspaceId: ws,
    key: customerId,
    payload: { customerId, assignedStaff: staff },
  }),
  occurredAt: at(minute),
});

async function upsert(ws: string, orders: { code: string; total: number; phone: string }[]) {
  const body = await subgraph.query(
    editor(ws),
    `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created rejected { field reason } } }`,
    {
      o: orders.map((o) => ({
        source: 'WEBSITE',
        code: o.code,
        status: 'COMPLETED',
        buyerPhone: o.phone,
        items: [{ productName: 'Áo', quantity: 1, unitPrice: o.total }],
        subtotal: o.total,
        total: o.total,
        orderedAt: new Date(Date.UTC(2026, 0, 2)).toISOString(),
        updatedAt: new Date(Date.UTC(2026, 0, 2)).toISOString(),
      })),
    },
  );
  expect(body.errors).toBeUndefined();
  expect(body.data!.upsertOrders.rejected).toEqual([]);
}

async function owners(ws: string): Promise<Record<string, string | null>> {
  const rows: { code: string; customer_id: string | null }[] = await subgraph.db.query(
    'SELECT code, customer_id FROM customer_order WHERE workspace_id = $1 ORDER BY code',
    [ws],
  );
  return Object.fromEntries(rows.map((r) => [r.code, r.customer_id]));
}

async function summaries(ws: string): Promise<CustomerSummaryChangedPayload[]> {
  const rows: { value: { payload: CustomerSummaryChangedPayload } }[] = await subgraph.db.query(
    `SELECT value FROM outbox WHERE workspace_id = $1 AND topic = 'orders.customer.summary-changed'
      ORDER BY seq`,
    [ws],
  );
  return rows.map((r) => r.value.payload);
}

/** What a redelivery must leave as it is. */
async function state(ws: string) {
  const q = (sql: string) => subgraph.db.query(sql, [ws]);
  return {
    orders: await owners(ws),
    directory: await q(
      'SELECT e164, customer_id, occurred_at FROM phone_directory WHERE workspace_id = $1 ORDER BY e164, customer_id',
    ),
    tombstones: await q(
      'SELECT customer_id, deleted FROM phone_directory_customer WHERE workspace_id = $1 ORDER BY customer_id',
    ),
    merges: await q(
      'SELECT merged_id, survivor_id FROM customer_merge WHERE workspace_id = $1 ORDER BY merged_id',
    ),
    access: await q(
      'SELECT customer_id, assigned_staff, deleted FROM customer_access WHERE workspace_id = $1 ORDER BY customer_id',
    ),
    outbox: await q('SELECT id FROM outbox WHERE workspace_id = $1 ORDER BY seq'),
  };
}

const TAB = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer {
  orders(first: 10) { totalCount } orderSummary { orderCount totalSpent } } } }`;

describe('a merge of two customers with orders', () => {
  const ws = newWorkspace();
  const [survivor, dup, third] = [randomUUID(), randomUUID(), randomUUID()];

  beforeAll(async () => {
    await apply(
      phones(ws, survivor, [x], 1),
      phones(ws, dup, [y], 2),
      phones(ws, third, [z], 3),
      assigned(ws, survivor, 'staff-a', 4),
      assigned(ws, dup, 'staff-b', 4),
    );
    await upsert(ws, [
      { code: 'A-1', total: 100_000, phone: x },
      { code: 'B-1', total: 200_000, phone: y },
      { code: 'B-2', total: 300_000, phone: y },
      { code: 'C-1', total: 400_000, phone: z },
    ]);
  });

  it('moves the orders and numbers, publishes the survivor’s figures, and does it once', async () => {
    expect(await owners(ws)).toEqual({ 'A-1': survivor, 'B-1': dup, 'B-2': dup, 'C-1': third });
    const event = merged(ws, survivor, [dup], 10);
    const before = (await summaries(ws)).length;
    await apply(event);
    expect(await owners(ws)).toEqual({
      'A-1': survivor,
      'B-1': survivor,
      'B-2': survivor,
      'C-1': third,
    });
    expect(Object.fromEntries(await customerByPhone(subgraph.db, ws, [x, y, z]))).toEqual({
      [x]: survivor,
      [y]: survivor,
      [z]: third,
    });
    const published = (await summaries(ws)).slice(before);
    expect(published).toEqual([
      expect.objectContaining({ customerId: survivor, orderCount: 3, totalSpent: 600_000 }),
    ]);
    // Delivered again (the inbox would drop it; the handlers do nothing either).
    const after = await state(ws);
    await apply(event);
    expect(await state(ws)).toEqual(after);
  });

  it('ignores a late event of the merged customer', async () => {
    const after = await state(ws);
    await apply(phones(ws, dup, [y, '+84912000009'], 5));
    expect(await state(ws)).toEqual(after);
  });

  it('answers a merged id’s tab with the survivor’s orders, for staff by the survivor’s assignment', async () => {
    const r = [{ __typename: 'Customer', id: dup }];
    const asEditor = await subgraph.query(editor(ws), TAB, { r });
    expect(asEditor.data!._entities).toEqual([
      { orders: { totalCount: 3 }, orderSummary: { orderCount: 3, totalSpent: 600_000 } },
    ]);
    const staff = (userId: string): Identity => ({ workspaceId: ws, userId, role: 'staff' });
    const mine = await subgraph.query(staff('staff-a'), TAB, { r });
    expect(mine.data!._entities[0].orders).toEqual({ totalCount: 3 });
    // The merged customer's own staff member no longer sees it: it is gone.
    const theirs = await subgraph.query(staff('staff-b'), TAB, { r });
    expect(theirs.data!._entities).toEqual([null]);
  });
});

it('lands a merge on the customer its survivor was merged into since, in either order', async () => {
  for (const order of ['in order', 'reversed']) {
    const ws = newWorkspace();
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await apply(phones(ws, a, [x], 1), phones(ws, b, [y], 1), phones(ws, c, [z], 1));
    await upsert(ws, [
      { code: 'A', total: 1000, phone: x },
      { code: 'B', total: 1000, phone: y },
      { code: 'C', total: 1000, phone: z },
    ]);
    // a into b, then b into c.
    const first = merged(ws, b, [a], 10);
    const second = merged(ws, c, [b], 11);
    await apply(...(order === 'in order' ? [first, second] : [second, first]));
    expect(await owners(ws)).toEqual({ A: c, B: c, C: c });
    const merges = await subgraph.db.query(
      'SELECT merged_id, survivor_id FROM customer_merge WHERE workspace_id = $1 ORDER BY merged_id',
      [ws],
    );
    expect(
      Object.fromEntries(merges.map((m: Record<string, string>) => [m.merged_id, m.survivor_id])),
    ).toEqual({
      [a]: c,
      [b]: c,
    });
    expect(Object.fromEntries(await customerByPhone(subgraph.db, ws, [x, y, z]))).toEqual({
      [x]: c,
      [y]: c,
      [z]: c,
    });
  }
});

it('attaches an order given a merged customer’s id to the survivor', async () => {
  const ws = newWorkspace();
  const [survivor, dup] = [randomUUID(), randomUUID()];
  await apply(merged(ws, survivor, [dup], 1));
  const body = await subgraph.query(
    editor(ws),
    `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created } }`,
    {
      o: [
        {
          source: 'POS',
          code: 'P-1',
          status: 'COMPLETED',
          customerId: dup.toUpperCase(),
          items: [{ productName: 'Áo', quantity: 1, unitPrice: 1000 }],
          subtotal: 1000,
          total: 1000,
          orderedAt: at(2),
          updatedAt: at(2),
        },
      ],
    },
  );
  expect(body.errors).toBeUndefined();
  expect(await owners(ws)).toEqual({ 'P-1': survivor });
});
