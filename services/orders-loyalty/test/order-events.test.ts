// orders' events against a real Postgres: orders.customer.summary-changed with every
// change to a customer's orders (figures, versions, two upserts racing for one
// customer), orders.buyer.seen for phones nobody holds (once per window), and
// contacts.customer.buyer-matched attaching the orders that waited.
import { randomUUID } from 'node:crypto';
import {
  CUSTOMER_BUYER_MATCHED,
  CUSTOMER_DELETED,
  CUSTOMER_PHONES_CHANGED,
  createEvent,
} from '@customer-graph/runtime';
import type {
  AnyEvent,
  BuyerSeenPayload,
  CustomerSummaryChangedPayload,
  Identity,
} from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { ordersLoyaltySubgraph } from '../src';
import { AnnounceOrderSummaries1764510000100 } from '../src/orders/migrations/1764510000100-AnnounceOrderSummaries';

const editor = (workspaceId: string): Identity => ({ workspaceId, userId: 'e1', role: 'editor' });
const newWorkspace = () => `order-events-${randomUUID().slice(0, 8)}`;
const UPSERT = `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) {
  created updated unchanged rejected { index field reason } } }`;

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(ordersLoyaltySubgraph);
});
afterAll(() => subgraph?.stop());

interface OrderSketch {
  code: string;
  status?: string;
  total?: number;
  day?: number;
  /** Hours after the order was placed: a later one is a newer version. */
  version?: number;
  customerId?: string;
  buyerPhone?: string;
  buyerName?: string;
  buyerEmail?: string;
  source?: string;
}

const order = ({
  code,
  status = 'PENDING',
  total = 100_000,
  day = 1,
  version = 1,
  ...rest
}: OrderSketch) => ({
  source: 'WEBSITE',
  code,
  status,
  items: [{ productName: 'Áo', quantity: 1, unitPrice: total }],
  subtotal: total,
  total,
  orderedAt: new Date(Date.UTC(2026, 0, day)).toISOString(),
  updatedAt: new Date(Date.UTC(2026, 0, day, version)).toISOString(),
  ...rest,
});

async function upsert(ws: string, ...orders: OrderSketch[]) {
  const body = await subgraph.query(editor(ws), UPSERT, { o: orders.map(order) });
  expect(body.errors).toBeUndefined();
  expect(body.data!.upsertOrders.rejected).toEqual([]);
  return body.data!.upsertOrders as { created: number; updated: number; unchanged: number };
}

/** The payloads of one topic in the workspace's outbox, in commit order (key checked). */
async function published<P>(ws: string, topic: string): Promise<P[]> {
  const rows: { key: string; value: { key: string; payload: P } }[] = await subgraph.db.query(
    'SELECT key, value FROM outbox WHERE workspace_id = $1 AND topic = $2 ORDER BY seq',
    [ws, topic],
  );
  for (const row of rows) expect(row.value.key).toBe(row.key);
  return rows.map((r) => r.value.payload);
}

const summaries = async (ws: string, customerId?: string) =>
  (await published<CustomerSummaryChangedPayload>(ws, 'orders.customer.summary-changed')).filter(
    (s) => !customerId || s.customerId === customerId,
  );
const buyersSeen = (ws: string) => published<BuyerSeenPayload>(ws, 'orders.buyer.seen');

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const phonesChanged = (ws: string, customerId: string, phones: string[], minute: number) => ({
  ...createEvent({
    type: CUSTOMER_PHONES_CHANGED,
    workspaceId: ws,
    key: customerId,
    payload: { customerId, phones },
  }),
  occurredAt: at(minute),
});
const buyerMatched = (ws: string, customerId: string, phoneE164: string, minute: number) => ({
  ...createEvent({
    type: CUSTOMER_BUYER_MATCHED,
    workspaceId: ws,
    key: customerId,
    payload: { customerId, phoneE164, created: true },
  }),
  occurredAt: at(minute),
});
const deleted = (ws: string, customerId: string, minute: number) => ({
  ...createEvent({
    type: CUSTOMER_DELETED,
    workspaceId: ws,
    key: customerId,
    payload: { customerId, deletedBy: 'admin' },
  }),
  occurredAt: at(minute),
});
/** As the consumer applies them: every module's handler of the type, the directory first. */
const apply = (...events: AnyEvent[]) => applyEvents(subgraph.db, ordersLoyaltySubgraph, ...events);

async function owners(ws: string): Promise<Record<string, string | null>> {
  const rows: { code: string; customer_id: string | null }[] = await subgraph.db.query(
    'SELECT code, customer_id FROM customer_order WHERE workspace_id = $1 ORDER BY code',
    [ws],
  );
  return Object.fromEntries(rows.map((r) => [r.code, r.customer_id]));
}

const NONE = {
  orderCount: 0,
  completedCount: 0,
  totalSpent: 0,
  firstOrderAt: null,
  lastOrderAt: null,
};
const day = (d: number) => new Date(Date.UTC(2026, 0, d)).toISOString();

describe('orders.customer.summary-changed', () => {
  it('is published with every change of a customer’s orders, figures recounted, versions growing by one', async () => {
    const ws = newWorkspace();
    const [lan, hoa] = [randomUUID(), randomUUID()];
    await upsert(
      ws,
      { code: 'S-1', customerId: lan, status: 'COMPLETED', total: 100_000, day: 3 },
      { code: 'S-2', customerId: lan, total: 50_001, day: 5 },
      { code: 'S-3', customerId: hoa, status: 'CANCELLED', total: 10_000, day: 2 },
    );
    // One event per customer for the batch.
    expect(await summaries(ws)).toEqual([
      expect.objectContaining({ customerId: expect.any(String), version: 1 }),
      expect.objectContaining({ customerId: expect.any(String), version: 1 }),
    ]);
    expect(await summaries(ws, lan)).toEqual([
      {
        customerId: lan,
        version: 1,
        orderCount: 2,
        completedCount: 1,
        totalSpent: 150_001,
        firstOrderAt: day(3),
        lastOrderAt: day(5),
        hasLiveOrder: true,
      },
    ]);
    // Only a cancelled order: nothing counted, and no live order.
    expect(await summaries(ws, hoa)).toEqual([
      { customerId: hoa, version: 1, ...NONE, hasLiveOrder: false },
    ]);

    // S-2 cancelled; then a stale version of it, which changes nothing and says nothing.
    await upsert(ws, {
      code: 'S-2',
      customerId: lan,
      status: 'CANCELLED',
      total: 50_001,
      day: 5,
      version: 3,
    });
    expect(
      await upsert(ws, { code: 'S-2', customerId: lan, total: 50_001, day: 5, version: 2 }),
    ).toMatchObject({
      unchanged: 1,
    });
    // S-1 returned: nothing counted, but the customer did buy (hasLiveOrder).
    await upsert(ws, {
      code: 'S-1',
      customerId: lan,
      status: 'RETURNED',
      total: 100_000,
      day: 3,
      version: 2,
    });
    expect((await summaries(ws, lan)).slice(1)).toEqual([
      {
        customerId: lan,
        version: 2,
        orderCount: 1,
        completedCount: 1,
        totalSpent: 100_000,
        firstOrderAt: day(3),
        lastOrderAt: day(3),
        hasLiveOrder: true,
      },
      { customerId: lan, version: 3, ...NONE, hasLiveOrder: true },
    ]);

    // A newer version naming another customer moves the order: both hear of it.
    await upsert(ws, {
      code: 'S-1',
      customerId: hoa,
      status: 'COMPLETED',
      total: 100_000,
      day: 3,
      version: 4,
    });
    expect((await summaries(ws, lan)).at(-1)).toEqual({
      customerId: lan,
      version: 4,
      ...NONE,
      hasLiveOrder: false,
    });
    const hoaNow = (await summaries(ws, hoa)).at(-1);
    expect(hoaNow).toMatchObject({
      version: 2,
      orderCount: 1,
      completedCount: 1,
      totalSpent: 100_000,
    });

    // The last event of each equals Customer.orderSummary.
    const body = await subgraph.query(
      editor(ws),
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id
        orderSummary { orderCount completedCount totalSpent firstOrderAt lastOrderAt } } } }`,
      { r: [lan, hoa].map((id) => ({ __typename: 'Customer', id })) },
    );
    for (const [i, id] of [lan, hoa].entries()) {
      const last = (await summaries(ws, id)).at(-1)!;
      expect(body.data!._entities[i].orderSummary).toEqual({
        orderCount: last.orderCount,
        completedCount: last.completedCount,
        totalSpent: last.totalSpent,
        firstOrderAt: last.firstOrderAt,
        lastOrderAt: last.lastOrderAt,
      });
    }
    // Versions are 1, 2, 3 … per customer.
    for (const id of [lan, hoa]) {
      const versions = (await summaries(ws, id)).map((s) => s.version);
      expect(versions).toEqual(versions.map((_, i) => i + 1));
    }
  });

  it('gives two upserts racing for one customer consecutive versions, the later counting both', async () => {
    const ws = newWorkspace();
    const lan = randomUUID();
    await upsert(ws, { code: 'R-0', customerId: lan, total: 1_000 });
    // Hold the customer's version row, so both upserts queue behind it (the first
    // there, the second behind the first): the race, every time.
    const holder = subgraph.db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(
        'SELECT 1 FROM customer_order_version WHERE workspace_id = $1 AND customer_id = $2 FOR UPDATE',
        [ws, lan],
      );
      const racing = Promise.all([
        upsert(ws, { code: 'R-1', customerId: lan, total: 20_000, day: 2 }),
        upsert(ws, { code: 'R-2', customerId: lan, total: 300_000, day: 3 }),
      ]);
      for (;;) {
        const [{ n }] = await subgraph.db.query(
          // One on the version row, the other on the workspace's phone-matching lock
          // (phone-directory.lock.ts) the first holds.
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (n === 2) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await holder.commitTransaction();
      await racing;
    } finally {
      await holder.release();
    }
    const events = await summaries(ws, lan);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3]);
    expect(events[1].orderCount).toBe(2);
    // The later version saw the earlier one's order, committed while it waited.
    expect(events[2]).toMatchObject({ orderCount: 3, totalSpent: 321_000, lastOrderAt: day(3) });
  });

  it('announces, once, the figures of customers who had orders before the event existed', async () => {
    const ws = newWorkspace();
    const [old, announced] = [randomUUID(), randomUUID()];
    await upsert(ws, { code: 'A-1', customerId: announced });
    // Orders from before: written without their event.
    await subgraph.db.query(
      `INSERT INTO customer_order (workspace_id, customer_id, code, source, status, subtotal, total,
         ordered_at, source_updated_at)
       VALUES ($1, $2, 'OLD-1', 'POS', 'COMPLETED', 40000, 40000, '2025-05-01', '2025-05-01'),
              ($1, $2, 'OLD-2', 'POS', 'CANCELLED', 9000, 9000, '2025-06-01', '2025-06-01')`,
      [ws, old],
    );
    // The announcement ran before figures were kept (1766610000100-KeptOrderFigures),
    // when such orders had no version row; their kept figures' row (version 0) goes.
    await subgraph.db.query(
      'DELETE FROM customer_order_version WHERE workspace_id = $1 AND customer_id = $2 AND version = 0',
      [ws, old],
    );
    const announce = async () => {
      const runner = subgraph.db.createQueryRunner();
      try {
        await new AnnounceOrderSummaries1764510000100().up(runner);
      } finally {
        await runner.release();
      }
    };
    await announce();
    await announce();
    expect(await summaries(ws, old)).toEqual([
      {
        customerId: old,
        version: 1,
        orderCount: 1,
        completedCount: 1,
        totalSpent: 40_000,
        firstOrderAt: '2025-05-01T00:00:00.000Z',
        lastOrderAt: '2025-05-01T00:00:00.000Z',
        hasLiveOrder: true,
      },
    ]);
    expect(await summaries(ws, announced)).toHaveLength(1);
  });
});

describe('the buyer-seen conversation', () => {
  const [x, y, z, w] = ['+84912700001', '+84912700002', '+84912700003', '+84912700004'];

  it('asks once per unknown phone per workspace, with the first name and email seen, and not again within the hour', async () => {
    const ws = newWorkspace();
    const held = randomUUID();
    await apply(phonesChanged(ws, held, [x], 1));
    await upsert(
      ws,
      { code: 'B-1', buyerPhone: '0912 700 002', buyerEmail: 'not an address', source: 'SHOPEE' },
      {
        code: 'B-2',
        buyerPhone: '+84912700002',
        buyerName: 'Hà',
        buyerEmail: 'ha@example.vn',
        source: 'LAZADA',
      },
      { code: 'B-3', buyerPhone: '0912700003', buyerName: 'Minh', source: 'POS' },
      { code: 'B-4', buyerPhone: '0912700001', buyerName: 'Known' }, // x is held
      { code: 'B-5', buyerName: 'No phone' },
      { code: 'B-6', buyerPhone: '0912700004', customerId: randomUUID() }, // attached: no need
    );
    expect(await buyersSeen(ws)).toEqual([
      { phoneE164: y, name: 'Hà', email: 'ha@example.vn', source: 'SHOPEE' },
      { phoneE164: z, name: 'Minh', email: null, source: 'POS' },
    ]);
    expect((await owners(ws))['B-4']).toBe(held);
    expect(await buyersSeen(ws)).not.toContainEqual(expect.objectContaining({ phoneE164: w }));

    // More orders of the same buyers within the hour: nobody is asked again.
    await upsert(
      ws,
      { code: 'B-7', buyerPhone: '0912700002' },
      { code: 'B-8', buyerPhone: '0912700003' },
    );
    expect(await buyersSeen(ws)).toHaveLength(2);

    // Still unknown an hour later: asked again, only about the phones of the batch.
    await subgraph.db.query(
      `UPDATE order_buyer_asked SET asked_at = asked_at - interval '61 minutes' WHERE workspace_id = $1`,
      [ws],
    );
    await upsert(ws, { code: 'B-9', buyerPhone: '0912700002', buyerName: 'Hà Lê' });
    expect((await buyersSeen(ws)).slice(2)).toEqual([
      { phoneE164: y, name: 'Hà Lê', email: null, source: 'WEBSITE' },
    ]);

    // Another workspace's buyer with the same number is its own question.
    const other = newWorkspace();
    await upsert(other, { code: 'B-1', buyerPhone: '0912700002' });
    expect(await buyersSeen(other)).toEqual([
      { phoneE164: y, name: null, email: null, source: 'WEBSITE' },
    ]);
    expect(await buyersSeen(ws)).toHaveLength(3);
  });

  it('attaches the waiting orders on buyer-matched, once, and never for a deleted customer', async () => {
    const ws = newWorkspace();
    const [hoa, gone, late] = [randomUUID(), randomUUID(), randomUUID()];
    await upsert(
      ws,
      { code: 'M-1', buyerPhone: '0912700001', status: 'COMPLETED', total: 70_000, day: 4 },
      { code: 'M-2', buyerPhone: '0912 700 001', day: 6 },
      { code: 'M-3', buyerPhone: '0912700002' },
      { code: 'M-4' },
    );
    expect(await summaries(ws)).toEqual([]); // nothing attached yet
    const matched = buyerMatched(ws, hoa, x, 10);
    await apply(matched);
    expect(await owners(ws)).toEqual({ 'M-1': hoa, 'M-2': hoa, 'M-3': null, 'M-4': null });
    expect(await summaries(ws)).toEqual([
      {
        customerId: hoa,
        version: 1,
        orderCount: 2,
        completedCount: 1,
        totalSpent: 170_000,
        firstOrderAt: day(4),
        lastOrderAt: day(6),
        hasLiveOrder: true,
      },
    ]);
    // The phones-changed of the same customer, and the answer delivered again: no change.
    await apply(phonesChanged(ws, hoa, [x], 9), matched);
    expect(await summaries(ws)).toHaveLength(1);
    const rows = await subgraph.db.query(
      'SELECT customer_id, occurred_at FROM phone_directory WHERE workspace_id = $1',
      [ws],
    );
    expect(rows).toEqual([{ customer_id: hoa, occurred_at: new Date(at(9)) }]);
    // A later order with the number is attached at once, and nobody is asked about it.
    await upsert(ws, { code: 'M-5', buyerPhone: '0912700001' });
    expect((await owners(ws))['M-5']).toBe(hoa);
    expect((await buyersSeen(ws)).map((b) => b.phoneE164)).toEqual([x, y]);

    // A deleted customer never comes back, whatever arrives late.
    await apply(deleted(ws, gone, 20), buyerMatched(ws, gone, y, 15));
    expect((await owners(ws))['M-3']).toBeNull();
    // Nor does a number the customer has dropped since (a newer phones-changed says so).
    await apply(phonesChanged(ws, late, [z], 30), buyerMatched(ws, late, y, 25));
    expect((await owners(ws))['M-3']).toBeNull();
    expect(await summaries(ws, gone)).toEqual([]);
  });

  it('on a deletion, hands the orders to the next holder of the number, who hears of it', async () => {
    const ws = newWorkspace();
    const [first, second] = [randomUUID(), randomUUID()];
    await apply(phonesChanged(ws, first, [x], 1), phonesChanged(ws, second, [x], 2));
    await upsert(ws, { code: 'D-1', buyerPhone: '0912700001', total: 5_000 }, { code: 'D-2' });
    expect(await owners(ws)).toEqual({ 'D-1': first, 'D-2': null });
    await apply(deleted(ws, first, 3));
    expect(await owners(ws)).toEqual({ 'D-1': second, 'D-2': null });
    expect(await summaries(ws, first)).toHaveLength(1); // no event for the deleted customer
    expect(await summaries(ws, second)).toEqual([
      expect.objectContaining({ version: 1, orderCount: 1, totalSpent: 5_000 }),
    ]);
  });
});
