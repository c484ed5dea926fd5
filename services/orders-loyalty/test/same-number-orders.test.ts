// The same-number tab (Customer.sameNumberOrders, "Đơn hàng trùng SĐT") and
// attachOrder against a real Postgres: which orders show, paging, one query for a
// page of customers, what staff and another workspace see, and attaching by hand.
import { randomUUID } from 'node:crypto';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import {
  CUSTOMER_DELETED,
  CUSTOMER_MERGED,
  CUSTOMER_PHONES_CHANGED,
  createEvent,
} from '@customer-graph/runtime';
import type { AnyEvent, CustomerSummaryChangedPayload, Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { ordersLoyaltySubgraph } from '../src';

const ws = `same-number-${randomUUID().slice(0, 8)}`;
const other = `same-number-other-${randomUUID().slice(0, 8)}`;
const editor: Identity = { workspaceId: ws, userId: 'e1', role: 'editor' };
const analyst: Identity = { workspaceId: ws, userId: 'a1', role: 'analyst' };
const sam: Identity = { workspaceId: ws, userId: 'sam', role: 'staff' };
const otherAdmin: Identity = { workspaceId: other, userId: 'o1', role: 'admin' };
// A and B are Sam's, K is Kim's. A and B both hold X (A first); K holds X too.
const [A, B, K] = [randomUUID(), randomUUID(), randomUUID()];
const X = '+84913600001';

const TAB = `query($r: [_Any!]!, $first: Int, $after: String) { _entities(representations: $r) {
  ... on Customer { id sameNumberOrders(first: $first, after: $after) {
    totalCount edges { node { id code customer { id } } } pageInfo { hasNextPage endCursor } } } } }`;
const ATTACH = `mutation($o: ID!, $c: ID!) { attachOrder(orderId: $o, customerId: $c) {
  id code customer { id } } }`;
const refs = (...ids: string[]) => ids.map((id) => ({ __typename: 'Customer', id }));

let subgraph: TestSubgraph;
/** Order code → id. */
const ids: Record<string, string> = {};

const order = (code: string, buyerPhone: string | null, dayOf: number, customerId?: string) => ({
  source: 'SHOPEE',
  code,
  status: 'COMPLETED',
  buyerPhone,
  customerId,
  items: [{ productName: 'Áo', quantity: 1, unitPrice: 10_000 * dayOf }],
  subtotal: 10_000 * dayOf,
  total: 10_000 * dayOf,
  orderedAt: new Date(Date.UTC(2026, 2, dayOf)).toISOString(),
  updatedAt: new Date(Date.UTC(2026, 2, dayOf, 1)).toISOString(),
});

async function upsert(who: Identity, orders: object[]) {
  const body = await subgraph.query(
    who,
    `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { rejected { field reason } } }`,
    { o: orders },
  );
  expect(body.errors).toBeUndefined();
  expect(body.data!.upsertOrders.rejected).toEqual([]);
}

const phonesChanged = (
  workspaceId: string,
  customerId: string,
  phones: string[],
  minute: number,
) => ({
  ...createEvent({
    type: CUSTOMER_PHONES_CHANGED,
    workspaceId,
    key: customerId,
    payload: { customerId, phones },
  }),
  occurredAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
});
const apply = (...events: AnyEvent[]) => applyEvents(subgraph.db, ordersLoyaltySubgraph, ...events);

beforeAll(async () => {
  subgraph = await startTestSubgraph(ordersLoyaltySubgraph);
  await upsert(editor, [order('N-1', '0913 600 001', 1)]);
  await subgraph.db.query(
    `INSERT INTO phone_directory (workspace_id, e164, customer_id, occurred_at)
     VALUES ($1, $2, $3, '2026-01-01'), ($1, $2, $4, '2026-01-02'), ($1, $2, $5, '2026-01-03')`,
    [ws, X, A, B, K],
  );
  await upsert(editor, [
    order('A-1', '0913600001', 2), // attached to A, X's first holder
    order('B-1', '+84 913 600 001', 3, B),
    order('K-1', '0913600001', 4, K),
    order('A-2', '0913600002', 5, A), // Y is nobody's number
    order('A-3', null, 6, A),
  ]);
  // Matching leaves no order with a held number unattached for long, but the tab
  // shows one should it exist: N-1 is made one here.
  await subgraph.db.query(
    `UPDATE customer_order SET customer_id = NULL WHERE workspace_id = $1 AND code = 'N-1'`,
    [ws],
  );
  await subgraph.db.query(
    `INSERT INTO customer_access (workspace_id, customer_id, assigned_staff, deleted, occurred_at)
     VALUES ($1, $2, 'sam', false, now()), ($1, $3, 'sam', false, now()), ($1, $4, 'kim', false, now())`,
    [ws, A, B, K],
  );
  // Another workspace where A's id holds X too, with an order of that number.
  await subgraph.db.query(
    `INSERT INTO phone_directory (workspace_id, e164, customer_id, occurred_at) VALUES ($1, $2, $3, now())`,
    [other, X, A],
  );
  await upsert(otherAdmin, [order('O-1', '0913600001', 7, randomUUID())]);
  for (const workspaceId of [ws, other]) {
    const rows: { id: string; code: string }[] = await subgraph.db.query(
      'SELECT id, code FROM customer_order WHERE workspace_id = $1',
      [workspaceId],
    );
    for (const r of rows) ids[r.code] = r.id;
  }
});
afterAll(() => subgraph?.stop());

async function tab(who: Identity, customerIds: string[], first?: number, after?: string | null) {
  const body = await subgraph.query(who, TAB, { r: refs(...customerIds), first, after });
  expect(body.errors).toBeUndefined();
  return (
    body.data!._entities as ({
      sameNumberOrders: {
        totalCount: number;
        edges: { node: { code: string; customer: { id: string } | null } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      } | null;
    } | null)[]
  ).map((e) => e?.sameNumberOrders ?? null);
}
const codes = (page: { edges: { node: { code: string } }[] } | null) =>
  page?.edges.map((e) => e.node.code);

describe('Customer.sameNumberOrders', () => {
  it('lists the orders with one of the customer’s numbers attached elsewhere or nowhere, newest first, for many customers in one query', async () => {
    const spy = jest.spyOn(PostgresQueryRunner.prototype, 'query');
    const [a, b, k] = await tab(editor, [A, B, K, 'not-a-uuid']);
    const queries = spy.mock.calls.filter(([sql]) => /FROM phone_directory d/.test(String(sql)));
    spy.mockRestore();
    expect(queries).toHaveLength(2); // the pages, and the counts
    expect(codes(a)).toEqual(['K-1', 'B-1', 'N-1']);
    expect(a!.totalCount).toBe(3);
    expect(a!.edges.map((e) => e.node.customer?.id ?? null)).toEqual([K, B, null]);
    expect(codes(b)).toEqual(['K-1', 'A-1', 'N-1']);
    expect(codes(k)).toEqual(['B-1', 'A-1', 'N-1']);
    // The analyst sees what the editor sees.
    expect((await tab(analyst, [A])).map(codes)).toEqual([['K-1', 'B-1', 'N-1']]);
  });

  it('pages by cursor without repeats', async () => {
    const [page1] = await tab(editor, [A], 2);
    expect(codes(page1)).toEqual(['K-1', 'B-1']);
    expect(page1!.pageInfo.hasNextPage).toBe(true);
    const [page2] = await tab(editor, [A], 2, page1!.pageInfo.endCursor);
    expect(codes(page2)).toEqual(['N-1']);
    expect(page2!.pageInfo.hasNextPage).toBe(false);
    const bad = await subgraph.query(editor, TAB, { r: refs(A), first: 101 });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('shows staff only orders of their own customers: neither another staff member’s nor unattached ones, nor their count', async () => {
    const [a, b, k] = await tab(sam, [A, B, K]);
    expect(codes(a)).toEqual(['B-1']);
    expect(a!.totalCount).toBe(1);
    expect(codes(b)).toEqual(['A-1']);
    expect(k).toBeNull(); // not Sam's customer
    const kim: Identity = { workspaceId: ws, userId: 'kim', role: 'staff' };
    const [kOfKim, aOfKim] = await tab(kim, [K, A]);
    expect(codes(kOfKim)).toEqual([]);
    expect(kOfKim!.totalCount).toBe(0);
    expect(aOfKim).toBeNull();
  });

  it('keeps each workspace to its own orders and numbers', async () => {
    const [a] = await tab(otherAdmin, [A]);
    expect(codes(a)).toEqual(['O-1']);
    expect(codes((await tab(editor, [A]))[0])).not.toContain('O-1');
  });
});

describe('attachOrder', () => {
  const attach = (who: Identity, orderId: string, customerId: string) =>
    subgraph.query(who, ATTACH, { o: orderId, c: customerId });
  const summaries = async (customerId: string) => {
    const rows: { value: { payload: CustomerSummaryChangedPayload } }[] = await subgraph.db.query(
      `SELECT value FROM outbox WHERE workspace_id = $1 AND key = $2
          AND topic = 'orders.customer.summary-changed' ORDER BY seq`,
      [ws, customerId],
    );
    return rows.map((r) => r.value.payload);
  };
  const ownerOf = async (code: string) => {
    const [row] = await subgraph.db.query(
      'SELECT customer_id, attached_manually_at FROM customer_order WHERE id = $1',
      [ids[code]],
    );
    return {
      customerId: row.customer_id as string | null,
      manual: row.attached_manually_at !== null,
    };
  };

  it('refuses an order whose buyer phone is not one of the customer’s, and one without a phone, naming orderId', async () => {
    for (const code of ['A-2', 'A-3']) {
      const body = await attach(editor, ids[code], B);
      expect(body.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'orderId',
      });
      expect(await ownerOf(code)).toEqual({ customerId: A, manual: false });
    }
  });

  it('refuses what the caller may not see or change, as if it did not exist', async () => {
    const before = (await summaries(A)).length;
    // Sam: Kim's customer's order, an unattached order, an order to Kim's customer.
    for (const [orderId, customerId, field] of [
      [ids['K-1'], A, 'orderId'],
      [ids['N-1'], A, 'orderId'],
      [ids['B-1'], K, 'customerId'],
      [ids['O-1'], A, 'orderId'], // another workspace's order
      [randomUUID(), A, 'orderId'],
      ['not-an-id', A, 'orderId'],
    ]) {
      const body = await attach(sam, orderId, customerId);
      expect(body.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field });
    }
    // Another workspace's admin, with an order id of this one.
    const theirs = await attach(otherAdmin, ids['N-1'], A);
    expect(theirs.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'orderId' });
    // Analysts do not change customers.
    const read = await attach(analyst, ids['N-1'], A);
    expect(read.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await ownerOf('N-1')).toEqual({ customerId: null, manual: false });
    expect(await ownerOf('K-1')).toEqual({ customerId: K, manual: false });
    expect(await summaries(A)).toHaveLength(before);
  });

  it('attaches an order by hand, tells both customers, and matching never moves it after', async () => {
    const a0 = (await summaries(A)).at(-1)!;
    const b0 = (await summaries(B)).at(-1)!;
    // An editor takes the unattached order; staff take one between their customers.
    const n1 = await attach(editor, ids['N-1'], A);
    expect(n1.errors).toBeUndefined();
    expect(n1.data!.attachOrder).toEqual({ id: ids['N-1'], code: 'N-1', customer: { id: A } });
    const b1 = await attach(sam, ids['B-1'], A);
    expect(b1.data!.attachOrder.customer).toEqual({ id: A });
    expect(await ownerOf('B-1')).toEqual({ customerId: A, manual: true });
    const a = await summaries(A);
    expect(a.slice(-2)).toEqual([
      // and N-1; then B-1 too.
      expect.objectContaining({ version: a0.version + 1, orderCount: 4, totalSpent: 140_000 }),
      expect.objectContaining({ version: a0.version + 2, orderCount: 5, totalSpent: 170_000 }),
    ]);
    expect((await summaries(B)).slice(-1)).toEqual([
      expect.objectContaining({ version: b0.version + 1, orderCount: 0, hasLiveOrder: false }),
    ]);
    expect(codes((await tab(editor, [A]))[0])).toEqual(['K-1']);
    expect(codes((await tab(editor, [B]))[0])).toEqual(['K-1', 'B-1', 'A-1', 'N-1']);

    // B announces X again: B-1 stays where the person put it.
    await apply(phonesChanged(ws, B, [X], 50));
    expect(await ownerOf('B-1')).toEqual({ customerId: A, manual: true });
    // A is deleted: its orders go to the next holder of X, B, the mark with them.
    await apply({
      ...createEvent({
        type: CUSTOMER_DELETED,
        workspaceId: ws,
        key: A,
        payload: { customerId: A, deletedBy: 'e1' },
      }),
    });
    for (const code of ['A-1', 'B-1', 'N-1']) {
      expect(await ownerOf(code)).toEqual({ customerId: B, manual: false });
    }
    expect(await ownerOf('A-2')).toEqual({ customerId: null, manual: false }); // Y: nobody's
    expect((await summaries(B)).at(-1)).toMatchObject({ orderCount: 3 });
  });

  it('attaches to the survivor when given a merged customer’s id', async () => {
    const merged = randomUUID();
    await apply(
      createEvent({
        type: CUSTOMER_MERGED,
        workspaceId: ws,
        key: B,
        payload: { mergeId: randomUUID(), survivorId: B, mergedIds: [merged], mergedBy: 'e1' },
      }),
    );
    // One of B's number's orders, left unattached (matching leaves none so: by hand).
    await subgraph.db.query('UPDATE customer_order SET customer_id = NULL WHERE id = $1', [
      ids['A-1'],
    ]);
    const done = await attach(editor, ids['A-1'], merged);
    expect(done.errors).toBeUndefined();
    expect(done.data!.attachOrder.customer).toEqual({ id: B });
    expect(await ownerOf('A-1')).toEqual({ customerId: B, manual: true });
  });
});
