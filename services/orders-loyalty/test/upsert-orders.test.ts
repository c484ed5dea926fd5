// upsertOrders and Query.orders against a real Postgres: idempotent and order-independent
// ingestion, per-order rejections, filters, sorts, totalCount and staff scope.
import { randomUUID } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { ordersLoyaltySubgraph } from '../src';

const editor = (workspaceId: string): Identity => ({ workspaceId, userId: 'e1', role: 'editor' });
const UPSERT = `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) {
  created updated unchanged rejected { index source code field reason } } }`;
const STATUSES = ['PENDING', 'SHIPPING', 'COMPLETED'];
const SOURCES = ['SHOPEE', 'LAZADA', 'TIKTOK_SHOP', 'WEBSITE', 'FACEBOOK', 'ZALO', 'POS', 'OTHER'];
// Written in several forms; all are the same E.164 numbers.
const phoneOf = (i: number) => {
  const national = `09${String(10000000 + i).padStart(8, '0')}`;
  return i % 3 === 0
    ? national
    : i % 3 === 1
      ? `+84 ${national.slice(1)}`
      : national.replace(/(\d{4})(\d{3})/, '$1 $2 ');
};

/** Version v (0, 1, 2) of order i: later versions move its status on. */
function version(i: number, v: number) {
  const qty = 1 + (i % 4);
  const unitPrice = 10_000 + i * 100;
  const discount = i % 5 === 0 ? 1_000 : 0;
  const subtotal = qty * unitPrice - discount;
  const shippingFee = 15_000 + v * 1_000;
  const discountTotal = i % 7 === 0 ? 2_000 : 0;
  return {
    source: SOURCES[i % SOURCES.length],
    code: `C-${i}`,
    status: STATUSES[v],
    buyerName: `Người mua ${i}`,
    buyerPhone: phoneOf(i),
    shippingAddress: `${i} Lê Lợi, Q1`,
    shippingFee,
    items: [{ sku: `SKU-${i % 10}`, productName: 'Áo thun', quantity: qty, unitPrice, discount }],
    subtotal,
    discountTotal,
    total: subtotal - discountTotal + shippingFee,
    orderedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    updatedAt: new Date(Date.UTC(2026, 0, 2) + i * 60_000 + v * 3_600_000).toISOString(),
  };
}

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(ordersLoyaltySubgraph);
});
afterAll(() => subgraph?.stop());

async function upsert(ws: string, orders: object[], who = editor(ws)) {
  const body = await subgraph.query(who, UPSERT, { o: orders });
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!.upsertOrders as {
    created: number;
    updated: number;
    unchanged: number;
    rejected: { index: number; field: string; code: string }[];
  };
}

async function inChunks(ws: string, orders: object[]) {
  const total = { created: 0, updated: 0, unchanged: 0 };
  for (let i = 0; i < orders.length; i += 500) {
    const r = await upsert(ws, orders.slice(i, i + 500));
    expect(r.rejected).toEqual([]);
    total.created += r.created;
    total.updated += r.updated;
    total.unchanged += r.unchanged;
  }
  return total;
}

async function state(ws: string) {
  const orders = await subgraph.db.query(
    `SELECT source, code, status, customer_id, buyer_phone, buyer_phone_e164, items, subtotal,
       discount_total, shipping_fee, total, ordered_at, source_updated_at
     FROM customer_order WHERE workspace_id = $1 ORDER BY source, code`,
    [ws],
  );
  const history = await subgraph.db.query(
    `SELECT o.source, o.code, h.status, h.changed_at FROM customer_order_status h
     JOIN customer_order o ON o.id = h.order_id WHERE h.workspace_id = $1
     ORDER BY o.source, o.code, h.status`,
    [ws],
  );
  return { orders, history };
}

function shuffled<T>(items: T[], seed = 42): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const N = 1000;
const wsInOrder = `orders-up-a-${randomUUID().slice(0, 8)}`;

describe('upsertOrders', () => {
  it('gives the same final state for 1,000 orders sent in order, again, and shuffled with older versions', async () => {
    const all = [0, 1, 2].flatMap((v) => Array.from({ length: N }, (_, i) => version(i, v)));
    expect(await inChunks(wsInOrder, all)).toEqual({ created: N, updated: 2 * N, unchanged: 0 });
    const once = await state(wsInOrder);
    expect(once.orders).toHaveLength(N);
    expect(once.orders.every((o: { status: string }) => o.status === 'COMPLETED')).toBe(true);
    expect(once.history).toHaveLength(3 * N);
    // The same 1,000 final orders again: nothing changes.
    const finals = all.slice(2 * N);
    expect(await inChunks(wsInOrder, finals)).toEqual({ created: 0, updated: 0, unchanged: N });
    expect(await state(wsInOrder)).toEqual(once);
    // Every version, shuffled, into another workspace: the same orders and history.
    const wsShuffled = `orders-up-b-${randomUUID().slice(0, 8)}`;
    const counts = await inChunks(wsShuffled, shuffled(all));
    expect(counts.created).toBe(N);
    expect(counts.created + counts.updated + counts.unchanged).toBe(3 * N);
    expect(await state(wsShuffled)).toEqual(once);
  }, 60_000);

  it('never takes a COMPLETED order back to PENDING by a stale update', async () => {
    const ws = `orders-up-c-${randomUUID().slice(0, 8)}`;
    await upsert(ws, [version(1, 2)]);
    expect(await upsert(ws, [version(1, 0)])).toMatchObject({ unchanged: 1, updated: 0 });
    // Same updatedAt as the stored version, but an earlier status: still not taken.
    const sameTime = { ...version(1, 0), updatedAt: version(1, 2).updatedAt };
    expect(await upsert(ws, [sameTime])).toMatchObject({ unchanged: 1, updated: 0 });
    const [row] = await subgraph.db.query(
      'SELECT status FROM customer_order WHERE workspace_id = $1',
      [ws],
    );
    expect(row.status).toBe('COMPLETED');
  });

  it('rejects each bad order with its index and field, writes nothing of it, and writes the rest', async () => {
    const ws = `orders-up-d-${randomUUID().slice(0, 8)}`;
    const good = version(10, 0);
    const bad = [
      { ...version(11, 0), items: [{ ...version(11, 0).items[0], quantity: -1 }] },
      { ...version(12, 0), total: version(12, 0).total + 1 },
      { ...version(13, 0), source: 'AMAZON' },
      { ...version(14, 0), buyerPhone: '12345' },
      { ...version(15, 0), subtotal: version(15, 0).subtotal + 5 },
    ];
    const r = await upsert(ws, [good, ...bad, version(16, 0)]);
    expect(r).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    expect(r.rejected.map(({ index, field, code }) => ({ index, field, code }))).toEqual([
      { index: 1, field: 'items[0].quantity', code: 'C-11' },
      { index: 2, field: 'total', code: 'C-12' },
      { index: 3, field: 'source', code: 'C-13' },
      { index: 4, field: 'buyerPhone', code: 'C-14' },
      { index: 5, field: 'subtotal', code: 'C-15' },
    ]);
    const rows = await subgraph.db.query(
      'SELECT code FROM customer_order WHERE workspace_id = $1 ORDER BY code',
      [ws],
    );
    expect(rows.map((x: { code: string }) => x.code)).toEqual(['C-10', 'C-16']);
    const history = await subgraph.db.query(
      'SELECT count(*)::int AS n FROM customer_order_status WHERE workspace_id = $1',
      [ws],
    );
    expect(history[0].n).toBe(2);
  });

  it('refuses 501 orders with BAD_USER_INPUT and writes none', async () => {
    const ws = `orders-up-e-${randomUUID().slice(0, 8)}`;
    const body = await subgraph.query(editor(ws), UPSERT, {
      o: Array.from({ length: 501 }, (_, i) => version(i, 0)),
    });
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'orders' });
    const [row] = await subgraph.db.query(
      'SELECT count(*)::int AS n FROM customer_order WHERE workspace_id = $1',
      [ws],
    );
    expect(row.n).toBe(0);
  });

  it('is refused to staff and analysts (workspace.edit)', async () => {
    for (const role of ['staff', 'analyst'] as const) {
      const body = await subgraph.query({ workspaceId: wsInOrder, userId: 'x', role }, UPSERT, {
        o: [version(1, 0)],
      });
      expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });
});

const LIST = `query($f: OrderFilter, $s: OrderSort, $first: Int, $after: String) {
  orders(filter: $f, sort: $s, first: $first, after: $after) {
    totalCount edges { node { id code total status source buyerPhoneE164 orderedAt customer { id } } }
    pageInfo { hasNextPage endCursor } } }`;

describe('Query.orders', () => {
  const list = async (variables: object, who = editor(wsInOrder)) => {
    const body = await subgraph.query(who, LIST, variables);
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!.orders as {
      totalCount: number;
      edges: { node: { code: string; total: number; orderedAt: string; source: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };

  it('lists newest first and counts every match', async () => {
    const page = await list({ first: 3 });
    expect(page.totalCount).toBe(N);
    expect(page.edges.map((e) => e.node.code)).toEqual(['C-999', 'C-998', 'C-997']);
  });

  it('filters by status, source, dates, phone in any form, code and amounts', async () => {
    expect((await list({ f: { status: ['PENDING'] } })).totalCount).toBe(0);
    expect((await list({ f: { status: ['COMPLETED'], source: ['ZALO'] } })).totalCount).toBe(N / 8);
    const dates = await list({
      f: { orderedFrom: '2026-01-01T00:10:00.000Z', orderedTo: '2026-01-01T00:20:00.000Z' },
    });
    expect(dates.totalCount).toBe(10);
    for (const form of ['0910000042', '+84910000042', '84 910 000 042', '0910.000.042']) {
      const byPhone = await list({ f: { phone: form } });
      expect(byPhone.edges.map((e) => e.node.code)).toEqual(['C-42']);
    }
    expect((await list({ f: { code: 'C-7' } })).edges.map((e) => e.node.code)).toEqual(['C-7']);
    const amounts = await list({ f: { totalMin: 100_000, totalMax: 120_000 } });
    expect(amounts.totalCount).toBeGreaterThan(0);
    expect(amounts.edges.every((e) => e.node.total >= 100_000 && e.node.total <= 120_000)).toBe(
      true,
    );
    const bad = await subgraph.query(editor(wsInOrder), LIST, { f: { phone: '12' } });
    expect(bad.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.phone',
    });
  });

  it('sorts by total both ways and pages by cursor without repeats', async () => {
    const seen: number[] = [];
    let after: string | null = null;
    for (let i = 0; i < 3; i++) {
      const page = await list({ s: { field: 'TOTAL', direction: 'ASC' }, first: 40, after });
      seen.push(...page.edges.map((e) => e.node.total));
      after = page.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(120);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    const desc = await list({ s: { field: 'TOTAL', direction: 'DESC' }, first: 1 });
    expect(desc.edges[0].node.total).toBeGreaterThanOrEqual(Math.max(...seen));
    const oldest = await list({ s: { field: 'ORDERED_AT', direction: 'ASC' }, first: 1 });
    expect(oldest.edges[0].node.code).toBe('C-0');
  });

  it('shows staff only their customers’ orders, and no unattached one', async () => {
    const ws = `orders-up-f-${randomUUID().slice(0, 8)}`;
    const mine = randomUUID();
    const theirs = randomUUID();
    await upsert(ws, [
      { ...version(1, 0), customerId: mine },
      { ...version(2, 0), customerId: theirs },
      version(3, 0),
    ]);
    await subgraph.db.query(
      `INSERT INTO customer_access (workspace_id, customer_id, assigned_staff, deleted, occurred_at)
       VALUES ($1, $2, 'sam', false, now()), ($1, $3, 'kim', false, now())`,
      [ws, mine, theirs],
    );
    const sam: Identity = { workspaceId: ws, userId: 'sam', role: 'staff' };
    const staffPage = await list({}, sam);
    expect(staffPage.totalCount).toBe(1);
    expect(staffPage.edges.map((e) => e.node.code)).toEqual(['C-1']);
    expect((await list({}, editor(ws))).totalCount).toBe(3);
    const ids = (await list({}, editor(ws))).edges.map((e) => (e.node as { id?: string }).id);
    const byId = await subgraph.query(
      sam,
      `query($a: ID!, $b: ID!, $c: ID!) { a: order(id: $a) { code } b: order(id: $b) { code } c: order(id: $c) { code } }`,
      { a: ids[0], b: ids[1], c: ids[2] },
    );
    expect(Object.values(byId.data!).filter(Boolean)).toEqual([{ code: 'C-1' }]);
  });
});

describe('Customer.orders', () => {
  it('filters a customer’s orders and counts them, newest first', async () => {
    const ws = `orders-up-g-${randomUUID().slice(0, 8)}`;
    const customer = randomUUID();
    await upsert(ws, [
      { ...version(1, 0), customerId: customer },
      { ...version(2, 2), customerId: customer },
      { ...version(3, 2), customerId: customer },
      version(4, 2),
    ]);
    const body = await subgraph.query(
      editor(ws),
      `query($r: [_Any!]!, $f: OrderFilter) { _entities(representations: $r) {
        ... on Customer { all: orders { totalCount } done: orders(filter: $f, first: 1) {
          totalCount edges { node { code statusHistory { status } } } pageInfo { hasNextPage } } } } }`,
      { r: [{ __typename: 'Customer', id: customer }], f: { status: ['COMPLETED'] } },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!._entities[0]).toEqual({
      all: { totalCount: 3 },
      done: {
        totalCount: 2,
        edges: [{ node: { code: 'C-3', statusHistory: [{ status: 'COMPLETED' }] } }],
        pageInfo: { hasNextPage: true },
      },
    });
  });
});
