// Each customer's kept order figures (customer_order_version, kept by the triggers of
// migrations/1766610000100-KeptOrderFigures.ts) against a real Postgres: after every
// write path — upsert (create, status changes, cancel, return, a newer version, a
// stale one, a move), a CSV import, a Shopee push and a stub filled in, matching by
// phone (phones-changed, buyer-matched, a deletion handing orders over), attachOrder,
// a merge, an erasure — they equal the aggregate over the customer's orders, and so
// does Customer.orderSummary; and they stay exact when writers of one customer race,
// including the interleavings where a first or last order time must be looked up again.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  CUSTOMER_BUYER_MATCHED,
  CUSTOMER_DELETED,
  CUSTOMER_ERASED,
  CUSTOMER_MERGED,
  CUSTOMER_PHONES_CHANGED,
  createEvent,
} from '@customer-graph/runtime';
import type { AnyEvent, Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import type { QueryRunner } from 'typeorm';
import { ordersLoyaltySubgraph } from '../src';
import { applyShopeeStatus } from '../src/shops/shopee.ingest';
import { NOT_COUNTED } from '../src/orders/order.summary';

const editor = (workspaceId: string): Identity => ({ workspaceId, userId: 'e1', role: 'editor' });
const newWorkspace = () => `figures-${randomUUID().slice(0, 8)}`;
const day = (d: number, hour = 0) => new Date(Date.UTC(2026, 0, d, hour)).toISOString();
const [x, y] = ['+84913000001', '+84913000002'];

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(ordersLoyaltySubgraph);
});
afterAll(() => subgraph?.stop());

interface Sketch {
  code: string;
  status?: string;
  total?: number;
  day?: number;
  /** Hours after the order was placed: a later one is a newer version. */
  version?: number;
  customerId?: string;
  buyerPhone?: string;
  source?: string;
}

async function upsert(ws: string, ...orders: Sketch[]) {
  const body = await subgraph.query(
    editor(ws),
    `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created updated unchanged
      rejected { index field reason } } }`,
    {
      o: orders.map(
        ({ code, status = 'PENDING', total = 100_000, day: d = 1, version = 1, ...rest }) => ({
          source: 'WEBSITE',
          code,
          status,
          items: [{ productName: 'Áo', quantity: 1, unitPrice: total }],
          subtotal: total,
          total,
          orderedAt: day(d),
          updatedAt: day(d, version),
          ...rest,
        }),
      ),
    },
  );
  expect(body.errors).toBeUndefined();
  expect(body.data!.upsertOrders.rejected).toEqual([]);
  return body.data!.upsertOrders;
}

const apply = (...events: AnyEvent[]) => applyEvents(subgraph.db, ordersLoyaltySubgraph, ...events);
const event = (type: string, ws: string, key: string, payload: object, minute: number) =>
  ({
    ...createEvent({ type, workspaceId: ws, key, payload } as never),
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
  }) as AnyEvent;
const phonesChanged = (ws: string, id: string, phones: string[], minute: number) =>
  event(CUSTOMER_PHONES_CHANGED, ws, id, { customerId: id, phones }, minute);

interface Figures {
  customerId: string;
  orderCount: number;
  completedCount: number;
  totalSpent: string;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
}

/** The kept figures of the workspace's customers that have some (others are all zero). */
async function kept(ws: string): Promise<Figures[]> {
  return subgraph.db.query(
    `SELECT customer_id AS "customerId", order_count AS "orderCount",
            completed_count AS "completedCount", total_spent::text AS "totalSpent",
            first_order_at AS "firstOrderAt", last_order_at AS "lastOrderAt"
       FROM customer_order_version
      WHERE workspace_id = $1 AND (order_count <> 0 OR completed_count <> 0 OR total_spent <> 0
            OR first_order_at IS NOT NULL OR last_order_at IS NOT NULL)
      ORDER BY customer_id`,
    [ws],
  );
}

/** The same figures counted over the orders (what order.summary.ts used to run). */
async function counted(ws: string): Promise<Figures[]> {
  return subgraph.db.query(
    `SELECT customer_id AS "customerId", count(*)::int AS "orderCount",
            count(*) FILTER (WHERE status = 'COMPLETED')::int AS "completedCount",
            sum(total)::text AS "totalSpent", min(ordered_at) AS "firstOrderAt",
            max(ordered_at) AS "lastOrderAt"
       FROM customer_order
      WHERE workspace_id = $1 AND customer_id IS NOT NULL
        AND status <> ALL($2::text[])
      GROUP BY customer_id ORDER BY customer_id`,
    // The service's own rule: if it changes, the triggers must follow, or this fails.
    [ws, NOT_COUNTED],
  );
}

/** Kept = counted, for every customer of the workspace; returns them by customer. */
async function expectExact(ws: string): Promise<Map<string, Figures>> {
  const [mine, truth] = [await kept(ws), await counted(ws)];
  expect(mine).toEqual(truth);
  // Every customer with an attached order has its row (none missed by the triggers).
  const [{ missing }] = await subgraph.db.query(
    `SELECT count(*)::int AS missing FROM (SELECT DISTINCT customer_id FROM customer_order
       WHERE workspace_id = $1 AND customer_id IS NOT NULL) o
      WHERE NOT EXISTS (SELECT 1 FROM customer_order_version v
                         WHERE v.workspace_id = $1 AND v.customer_id = o.customer_id)`,
    [ws],
  );
  expect(missing).toBe(0);
  return new Map(truth.map((f) => [f.customerId, f]));
}

const SUMMARY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer {
  orderSummary { orderCount completedCount totalSpent averageOrderValue firstOrderAt lastOrderAt } } } }`;

async function summaryOf(ws: string, customerId: string) {
  const body = await subgraph.query(editor(ws), SUMMARY, {
    r: [{ __typename: 'Customer', id: customerId }],
  });
  expect(body.errors).toBeUndefined();
  return body.data!._entities[0].orderSummary;
}

describe('kept order figures', () => {
  it('follow upserts: new orders, status changes, cancel, return, newer and stale versions, a move', async () => {
    const ws = newWorkspace();
    const [lan, hoa] = [randomUUID(), randomUUID()];
    await upsert(
      ws,
      { code: 'U-1', customerId: lan, status: 'COMPLETED', total: 100_000, day: 3 },
      { code: 'U-2', customerId: lan, total: 50_001, day: 5 },
      { code: 'U-3', customerId: lan, status: 'CANCELLED', total: 900_000, day: 9 },
      { code: 'U-4', customerId: hoa, status: 'RETURNED', total: 10_000, day: 1 },
    );
    expect((await expectExact(ws)).get(lan)).toMatchObject({ orderCount: 2, totalSpent: '150001' });
    expect(await summaryOf(ws, lan)).toEqual({
      orderCount: 2,
      completedCount: 1,
      totalSpent: 150_001,
      averageOrderValue: 75_000,
      firstOrderAt: day(3),
      lastOrderAt: day(5),
    });
    expect(await summaryOf(ws, hoa)).toEqual({
      orderCount: 0,
      completedCount: 0,
      totalSpent: 0,
      averageOrderValue: 0,
      firstOrderAt: null,
      lastOrderAt: null,
    });
    // Its last order shipped (nothing changes), then cancelled: the last order time moves back.
    await upsert(ws, {
      code: 'U-2',
      customerId: lan,
      status: 'SHIPPING',
      total: 50_001,
      day: 5,
      version: 2,
    });
    await expectExact(ws);
    await upsert(ws, {
      code: 'U-2',
      customerId: lan,
      status: 'CANCELLED',
      total: 50_001,
      day: 5,
      version: 3,
    });
    expect((await expectExact(ws)).get(lan)).toMatchObject({
      orderCount: 1,
      lastOrderAt: new Date(day(3)),
    });
    // A stale version changes nothing.
    await upsert(ws, { code: 'U-2', customerId: lan, total: 50_001, day: 5, version: 2 });
    await expectExact(ws);
    // A newer version with another total and time; the cancelled one comes back to life.
    await upsert(ws, {
      code: 'U-3',
      customerId: lan,
      status: 'DELIVERED',
      total: 120_000,
      day: 2,
      version: 200,
    });
    expect((await expectExact(ws)).get(lan)).toMatchObject({
      orderCount: 2,
      totalSpent: '220000',
      firstOrderAt: new Date(day(2)),
    });
    // Returned: out of the figures; the first order time moves on.
    await upsert(ws, {
      code: 'U-3',
      customerId: lan,
      status: 'RETURNED',
      total: 120_000,
      day: 2,
      version: 201,
    });
    expect((await expectExact(ws)).get(lan)).toMatchObject({ firstOrderAt: new Date(day(3)) });
    // A newer version naming another customer moves the order: both customers' figures.
    await upsert(ws, {
      code: 'U-1',
      customerId: hoa,
      status: 'COMPLETED',
      total: 100_000,
      day: 3,
      version: 5,
    });
    const after = await expectExact(ws);
    expect(after.get(lan)).toBeUndefined();
    expect(after.get(hoa)).toMatchObject({ orderCount: 1, completedCount: 1 });
    expect((await summaryOf(ws, hoa)).totalSpent).toBe(100_000);
  });

  it('follow a Shopee push, a stub and its first upsert, and a CSV import matched by phone', async () => {
    const ws = newWorkspace();
    const [lan, binh] = [randomUUID(), randomUUID()];
    await upsert(
      ws,
      { code: 'SP-1', source: 'SHOPEE', customerId: lan, total: 70_000, day: 4 },
      { code: 'SP-2', source: 'SHOPEE', customerId: lan, total: 30_000, day: 6 },
    );
    const push = (code: string, status: 'COMPLETED' | 'CANCELLED', at: Date) =>
      applyShopeeStatus(
        subgraph.db,
        ws,
        { code, status, at },
        { shopId: '1', bodySha256: randomBytes(32) },
      );
    expect(await push('SP-2', 'CANCELLED', new Date(day(7)))).toEqual({ applied: true });
    expect((await expectExact(ws)).get(lan)).toMatchObject({
      orderCount: 1,
      lastOrderAt: new Date(day(4)),
    });
    expect(await push('SP-1', 'COMPLETED', new Date(day(8)))).toEqual({ applied: true });
    expect((await expectExact(ws)).get(lan)).toMatchObject({ completedCount: 1 });
    // A stub counts for nobody; its details, with the customer, count.
    expect(await push('SP-9', 'COMPLETED', new Date(day(9)))).toEqual({
      applied: true,
      stub: true,
    });
    await expectExact(ws);
    await upsert(ws, {
      code: 'SP-9',
      source: 'SHOPEE',
      customerId: lan,
      status: 'COMPLETED',
      total: 5_000,
      day: 9,
    });
    expect((await expectExact(ws)).get(lan)).toMatchObject({
      orderCount: 2,
      completedCount: 2,
      totalSpent: '75000',
    });

    // A file import: its orders attached by the phone the directory knows.
    await apply(phonesChanged(ws, binh, [x], 1));
    const csv = [
      'Mã đơn hàng,Ngày đặt hàng,Trạng thái đơn hàng,Số điện thoại,Tên sản phẩm,Số lượng,Giá bán',
      'C-1,05/03/2025 14:30,Hoàn thành,0913 000 001,Áo,2,150.000',
      'C-2,06/03/2025 09:00,Đã hủy,0913000001,Quần,1,450.000',
      'C-3,07/03/2025 10:00,Đang giao,0913000001,Mũ,1,20.000',
      '',
    ].join('\n');
    const started = await subgraph.query(
      editor(ws),
      `mutation($csv: String!) { importOrdersCsv(source: LAZADA, csv: $csv) { id } }`,
      { csv },
    );
    expect(started.errors).toBeUndefined();
    const id = started.data!.importOrdersCsv.id;
    for (let status = ''; status !== 'DONE';) {
      const job = await subgraph.query(
        editor(ws),
        `query($id: ID!) { orderImport(id: $id) { status } }`,
        { id },
      );
      status = job.data!.orderImport.status;
      expect(status).not.toBe('FAILED');
      if (status !== 'DONE') await new Promise((r) => setTimeout(r, 20));
    }
    expect((await expectExact(ws)).get(binh)).toMatchObject({
      orderCount: 2,
      completedCount: 1,
      totalSpent: '320000',
    });
  });

  it('follow matching by phone, a deletion handing orders over, attachOrder, a merge and an erasure', async () => {
    const ws = newWorkspace();
    const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
    await upsert(
      ws,
      { code: 'M-1', buyerPhone: '0913000001', status: 'COMPLETED', total: 40_000, day: 2 },
      { code: 'M-2', buyerPhone: '0913000001', total: 60_000, day: 8 },
      { code: 'M-3', buyerPhone: '0913000002', total: 5_000, day: 5 },
    );
    expect(await kept(ws)).toEqual([]); // nobody holds the numbers yet
    await apply(phonesChanged(ws, first, [x], 1));
    expect((await expectExact(ws)).get(first)).toMatchObject({
      orderCount: 2,
      totalSpent: '100000',
    });
    await apply(
      event(
        CUSTOMER_BUYER_MATCHED,
        ws,
        second,
        { customerId: second, phoneE164: y, created: true },
        2,
      ),
    );
    expect((await expectExact(ws)).get(second)).toMatchObject({ orderCount: 1 });
    // The first customer deleted: its orders go to the next holder of the number.
    await apply(phonesChanged(ws, third, [x], 3));
    await apply(event(CUSTOMER_DELETED, ws, first, { customerId: first, deletedBy: 'a1' }, 4));
    const handed = await expectExact(ws);
    expect(handed.get(first)).toBeUndefined();
    expect(handed.get(third)).toMatchObject({ orderCount: 2 });

    // attachOrder: M-2 by hand to the second customer, once it holds the number too.
    await apply(phonesChanged(ws, second, [x, y], 5));
    const [{ id: m2 }] = await subgraph.db.query(
      `SELECT id FROM customer_order WHERE workspace_id = $1 AND code = 'M-2'`,
      [ws],
    );
    const attached = await subgraph.query(
      editor(ws),
      `mutation($o: ID!, $c: ID!) { attachOrder(orderId: $o, customerId: $c) { id } }`,
      { o: m2, c: second },
    );
    expect(attached.errors).toBeUndefined();
    const moved = await expectExact(ws);
    expect(moved.get(second)).toMatchObject({ orderCount: 2, lastOrderAt: new Date(day(8)) });
    expect(moved.get(third)).toMatchObject({ orderCount: 1, lastOrderAt: new Date(day(2)) });

    // A merge: the third customer's orders are the second's now.
    await apply(
      event(
        CUSTOMER_MERGED,
        ws,
        second,
        { mergeId: randomUUID(), survivorId: second, mergedIds: [third], mergedBy: 'e1' },
        6,
      ),
    );
    const merged = await expectExact(ws);
    expect(merged.get(third)).toBeUndefined();
    expect(merged.get(second)).toMatchObject({ orderCount: 3, totalSpent: '105000' });

    // An erasure detaches the person's orders (kept for the accounts, counted for nobody).
    await apply(
      event(
        CUSTOMER_ERASED,
        ws,
        second,
        { customerId: second, erasureId: randomUUID(), erasedBy: 'a1' },
        7,
      ),
    );
    expect(await expectExact(ws)).toEqual(new Map());
  });
});

describe('kept order figures under concurrency', () => {
  async function begin(): Promise<QueryRunner> {
    const runner = subgraph.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    return runner;
  }
  /** Until `n` sessions of this database wait for a lock. */
  async function waiting(n: number) {
    for (;;) {
      const [{ count }] = await subgraph.db.query(
        `SELECT count(*)::int AS count FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (count >= n) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  async function customerWith(ws: string, days: number[]) {
    const lan = randomUUID();
    await upsert(
      ws,
      ...days.map((d, i) => ({
        code: `K-${i + 1}`,
        customerId: lan,
        total: 1_000 * (i + 1),
        day: d,
      })),
    );
    return lan;
  }

  it('looks the last order time up again after the writer it waited for commits', async () => {
    const ws = newWorkspace();
    const lan = await customerWith(ws, [1, 10, 20]); // K-3 is the last
    // T2 moves K-1 past K-3 and holds the customer's row; T1 cancels K-3 (the edge) and waits.
    const t2 = await begin();
    const t1 = await begin();
    try {
      await t2.query(
        `UPDATE customer_order SET ordered_at = '2026-02-01' WHERE workspace_id = $1 AND code = 'K-1'`,
        [ws],
      );
      const cancelling = t1.query(
        `UPDATE customer_order SET status = 'CANCELLED' WHERE workspace_id = $1 AND code = 'K-3'`,
        [ws],
      );
      await waiting(1);
      await t2.commitTransaction();
      await cancelling;
      await t1.commitTransaction();
    } finally {
      await Promise.all([t1.release(), t2.release()]);
    }
    // Looked up in the statement's own snapshot, it would still see K-1 on January 1st.
    expect((await expectExact(ws)).get(lan)).toMatchObject({
      orderCount: 2,
      firstOrderAt: new Date(day(10)),
      lastOrderAt: new Date('2026-02-01T00:00:00.000Z'),
    });
  });

  it('adds to figures another writer looked up again meanwhile', async () => {
    const ws = newWorkspace();
    const lan = await customerWith(ws, [1, 10, 20]);
    const t1 = await begin();
    const t2 = await begin();
    try {
      // T1 returns the first and the last orders (both edges looked up) and holds the row.
      await t1.query(
        `UPDATE customer_order SET status = 'RETURNED' WHERE workspace_id = $1 AND code IN ('K-1', 'K-3')`,
        [ws],
      );
      // T2 adds an order before every other and another after, and waits.
      const adding = t2.query(
        `INSERT INTO customer_order (workspace_id, customer_id, code, source, status, subtotal, total,
           ordered_at, source_updated_at)
         VALUES ($1, $2, 'K-0', 'POS', 'COMPLETED', 7, 7, '2025-12-25', '2025-12-25'),
                ($1, $2, 'K-9', 'POS', 'PENDING', 9, 9, '2026-01-15', '2026-01-15')`,
        [ws, lan],
      );
      await waiting(1);
      await t1.commitTransaction();
      await adding;
      await t2.commitTransaction();
    } finally {
      await Promise.all([t1.release(), t2.release()]);
    }
    expect((await expectExact(ws)).get(lan)).toMatchObject({
      orderCount: 3,
      completedCount: 1,
      totalSpent: '2016',
      firstOrderAt: new Date('2025-12-25T00:00:00.000Z'),
      lastOrderAt: new Date(day(15)),
    });
  });

  it('stay exact when upserts, pushes, matching and moves of the same customers race', async () => {
    const ws = newWorkspace();
    const [lan, hoa] = [randomUUID(), randomUUID()];
    await apply(phonesChanged(ws, hoa, [x], 1));
    const codes = Array.from({ length: 12 }, (_, i) => `R-${i}`);
    await upsert(
      ws,
      ...codes.map((code, i) => ({
        code,
        source: 'SHOPEE',
        customerId: i % 2 ? lan : hoa,
        total: 1_000 + i,
        day: 1 + i,
      })),
    );
    const statuses = ['COMPLETED', 'CANCELLED', 'RETURNED'] as const;
    await Promise.all([
      ...codes.map((code, i) =>
        applyShopeeStatus(
          subgraph.db,
          ws,
          { code, status: statuses[i % 3], at: new Date(day(20 + i)) },
          { shopId: '1', bodySha256: randomBytes(32) },
        ),
      ),
      upsert(
        ws,
        ...codes.slice(0, 4).map((code, i) => ({
          code,
          source: 'SHOPEE',
          customerId: lan,
          total: 9_000,
          day: 30 + i,
          version: 200,
        })),
      ),
      upsert(ws, { code: 'R-new', buyerPhone: '0913000001', total: 3_000, day: 40 }),
      apply(phonesChanged(ws, lan, [x], 2)),
    ]);
    const figures = await expectExact(ws);
    expect(figures.size).toBeGreaterThan(0);
  });

  it('stay exact through a long run of random writes straight to the table', async () => {
    const ws = newWorkspace();
    const customers = Array.from({ length: 4 }, () => randomUUID());
    await upsert(ws, { code: 'seed', customerId: customers[0] }); // the workspace row
    let state = 42;
    const next = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    const statuses = [
      'PENDING',
      'CONFIRMED',
      'SHIPPING',
      'DELIVERED',
      'COMPLETED',
      'CANCELLED',
      'RETURNED',
    ];
    for (let i = 0; i < 12; i++) {
      await subgraph.db.query(
        `INSERT INTO customer_order (workspace_id, customer_id, code, source, status, subtotal, total,
           ordered_at, source_updated_at)
         SELECT $1, ($2::uuid[])[1 + (g % 4)], 'F-' || $3::int || '-' || g, 'POS',
                ($4::text[])[1 + (g * 7 + $3::int) % 7], g * 10, g * 10,
                '2026-01-01'::timestamptz + (g * 13 % 50) * interval '1 day',
                '2026-01-01'::timestamptz
           FROM generate_series(1, 5) g`,
        [ws, customers, i, statuses],
      );
    }
    const some = (n: number) =>
      `id IN (SELECT id FROM customer_order WHERE workspace_id = $1 ORDER BY md5(id::text || $2) LIMIT ${n})`;
    // Each write: its statement ($1 the workspace, $2 a salt picking rows) and its value.
    const writes: [string, () => unknown][] = [
      [`UPDATE customer_order SET status = $3 WHERE ${some(3)}`, () => statuses[next(7)]],
      [`UPDATE customer_order SET customer_id = $3 WHERE ${some(2)}`, () => customers[next(4)]],
      [`UPDATE customer_order SET customer_id = NULL WHERE ${some(1)} AND $3::int = 0`, () => 0],
      [
        `UPDATE customer_order SET ordered_at = ordered_at + ($3::int - 25) * interval '1 day' WHERE ${some(2)}`,
        () => next(50),
      ],
      [
        `UPDATE customer_order SET subtotal = subtotal + $3::int, total = total + $3::int WHERE ${some(4)}`,
        () => next(50),
      ],
      [`DELETE FROM customer_order WHERE ${some(1)} AND $3::int = 0`, () => 0],
      [`UPDATE customer_order SET note = $3 WHERE workspace_id = $1 AND $2 <> ''`, () => 'a note'],
    ];
    for (let step = 0; step < 150; step++) {
      const [sql, value] = writes[next(writes.length)];
      await subgraph.db.query(sql, [ws, String(step), value()]);
      if (step % 10 === 9) await expectExact(ws);
    }
    expect((await counted(ws)).length).toBeGreaterThan(0);
  });
});
