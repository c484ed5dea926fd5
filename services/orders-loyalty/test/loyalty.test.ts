// Loyalty on real Postgres (docs/loyalty.md): the ledger follows a random history of
// order events exactly, redemptions never overdraw, a program change re-evaluates every
// customer, points expire first earned first spent, a merge adds ledgers exactly once.
import { randomUUID } from 'node:crypto';
import { CUSTOMER_MERGED, createEvent } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { ordersLoyaltySubgraph } from '../src';
import { runReevaluationBatch } from '../src/loyalty/loyalty.job';

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(ordersLoyaltySubgraph);
});
afterAll(() => subgraph?.stop());

const newWorkspace = () => `loyalty-${randomUUID().slice(0, 8)}`;
const admin = (workspaceId: string): Identity => ({ workspaceId, userId: 'a1', role: 'admin' });
const STATUSES = ['PENDING', 'DELIVERED', 'COMPLETED', 'CANCELLED', 'RETURNED'] as const;

const TIERS = [
  { name: 'Bạc', threshold: 0 },
  { name: 'Vàng', threshold: 50 },
  { name: 'Kim cương', threshold: 200, multiplier: 2 },
];

async function setProgram(ws: string, input: Record<string, unknown>) {
  const body = await subgraph.query(
    admin(ws),
    `mutation($i: LoyaltyProgramInput!) { setLoyaltyProgram(input: $i) { reevaluation { id } } }`,
    { i: { tiers: TIERS, earnPoints: 1, earnPerAmount: 10_000, tierPeriod: 'LIFETIME', ...input } },
  );
  expect(body.errors).toBeUndefined();
  const id = body.data!.setLoyaltyProgram.reevaluation.id as string;
  // The worker may run it too; either way each batch commits under the job's lock.
  while ((await runReevaluationBatch(subgraph.db, id)) !== 'finished');
  return id;
}

interface Order {
  code: string;
  customerId: string;
  total: number;
}
const orderInput = (o: Order, status: string, minute: number) => ({
  source: 'WEBSITE',
  code: o.code,
  status,
  customerId: o.customerId,
  items: [{ productName: 'Áo', quantity: 1, unitPrice: o.total }],
  subtotal: o.total,
  total: o.total,
  orderedAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
  updatedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
});

async function upsert(ws: string, batch: unknown[]) {
  const body = await subgraph.query(
    admin(ws),
    `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { rejected { field reason } } }`,
    { o: batch },
  );
  expect(body.errors).toBeUndefined();
  expect(body.data!.upsertOrders.rejected).toEqual([]);
}

/** Balances and tiers against a recomputation from the orders alone. */
async function mismatches(ws: string, perAmount: number, tiers = TIERS) {
  const rows: {
    customerId: string;
    expected: string;
    q: string | null;
    r: string | null;
    tier: string | null;
  }[] = await subgraph.db.query(
    `SELECT o.customer_id AS "customerId",
              sum(CASE WHEN o.status = 'COMPLETED' THEN floor(o.total / $2) ELSE 0 END)::text AS expected,
              b.qualifying::text AS q, b.redeemable::text AS r, b.tier_name AS tier
         FROM customer_order o
         LEFT JOIN loyalty_balance b ON b.workspace_id = o.workspace_id AND b.customer_id = o.customer_id
        WHERE o.workspace_id = $1 GROUP BY o.customer_id, b.qualifying, b.redeemable, b.tier_name`,
    [ws, perAmount],
  );
  const bad = rows.filter((r) => {
    const expected = Number(r.expected);
    const tier = [...tiers].reverse().find((t) => expected >= t.threshold)?.name ?? null;
    return Number(r.q ?? 0) !== expected || Number(r.r ?? 0) < 0 || (r.tier ?? null) !== tier;
  });
  return { customers: rows.length, bad };
}

describe('a random history of 10,000 order events for 500 customers', () => {
  const ws = newWorkspace();
  const customers = Array.from({ length: 500 }, () => randomUUID());
  const orders: Order[] = Array.from({ length: 2000 }, (_, i) => ({
    code: `R-${i}`,
    customerId: customers[i % customers.length],
    total: 10_000 + ((i * 7919) % 500) * 1_000,
  }));

  beforeAll(async () => {
    await setProgram(ws, {});
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const events: unknown[] = [];
    for (let i = 0; i < 10_000; i++) {
      const redelivery = events.length > 0 && random() < 0.1;
      events.push(
        redelivery
          ? events[Math.floor(random() * events.length)]
          : orderInput(
              orders[Math.floor(random() * orders.length)],
              STATUSES[Math.floor(random() * STATUSES.length)],
              // Out of order: a version's time is random, not its arrival.
              Math.floor(random() * 600),
            ),
      );
    }
    for (let i = 0; i < events.length; i += 500) {
      // One code at most once per call (a call's versions of one order: the newest wins).
      const batch = new Map<string, unknown>();
      for (const e of events.slice(i, i + 500)) batch.set((e as { code: string }).code, e);
      await upsert(ws, [...batch.values()]);
    }
  }, 300_000);

  it('leaves every balance equal to a recomputation from the orders, every tier by the rule', async () => {
    const { customers: n, bad } = await mismatches(ws, 10_000);
    expect(n).toBe(500);
    expect(bad).toEqual([]);
  });

  it('keeps at most one live EARN per order, each REVERSE taking back what its EARN gave', async () => {
    const [row] = await subgraph.db.query(
      `SELECT count(*) FILTER (WHERE kind = 'EARN' AND live)::int AS live,
              count(*) FILTER (WHERE kind = 'EARN')::int AS earns,
              count(*) FILTER (WHERE kind = 'REVERSE')::int AS reverses,
              count(*) FILTER (WHERE qualifying_after < 0 OR redeemable_after < 0)::int AS negative
         FROM loyalty_entry WHERE workspace_id = $1`,
      [ws],
    );
    const [completed] = await subgraph.db.query(
      `SELECT count(*)::int AS n FROM customer_order WHERE workspace_id = $1 AND status = 'COMPLETED'`,
      [ws],
    );
    expect(row.live).toBe(completed.n);
    expect(row.earns - row.reverses).toBe(row.live);
    expect(row.negative).toBe(0);
  });

  it('re-evaluates every customer after a program change', async () => {
    const tiers = [
      { name: 'Đồng', threshold: 10 },
      { name: 'Bạch kim', threshold: 100 },
    ];
    await setProgram(ws, { tiers, earnPerAmount: 20_000 });
    const { bad } = await mismatches(ws, 20_000, tiers);
    expect(bad).toEqual([]);
    const [job] = await subgraph.db.query(
      `SELECT total, processed, status FROM loyalty_reevaluation WHERE workspace_id = $1
        ORDER BY created_at DESC LIMIT 1`,
      [ws],
    );
    expect(job).toEqual({ total: 500, processed: 500, status: 'FINISHED' });
  });
});

describe('the re-evaluation in lanes', () => {
  const ws = newWorkspace();
  // The lanes' edges and 1,200 others: each lane needs more than one batch.
  const edges = [
    '00000000-0000-0000-0000-000000000000',
    '7fffffff-ffff-ffff-ffff-ffffffffffff',
    '80000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
  ];
  const customers = [...edges, ...Array.from({ length: 1_200 }, () => randomUUID())];
  const queue = async (perAmount: number) => {
    const body = await subgraph.query(
      admin(ws),
      `mutation($i: LoyaltyProgramInput!) { setLoyaltyProgram(input: $i) { reevaluation { id } } }`,
      { i: { tiers: TIERS, earnPoints: 1, earnPerAmount: perAmount, tierPeriod: 'LIFETIME' } },
    );
    expect(body.errors).toBeUndefined();
    return body.data!.setLoyaltyProgram.reevaluation.id as string;
  };
  const untilFinished = async (id: string) => {
    while ((await runReevaluationBatch(subgraph.db, id)) !== 'finished');
  };

  beforeAll(async () => {
    await setProgram(ws, {});
    const orders = customers.map((customerId, i) => ({
      code: `L-${i}`,
      customerId,
      total: 30_000 + (i % 7) * 10_000,
    }));
    for (let i = 0; i < orders.length; i += 500) {
      await upsert(
        ws,
        orders.slice(i, i + 500).map((o) => orderInput(o, 'COMPLETED', 1)),
      );
    }
  }, 120_000);

  it('covers every customer once, lanes running at once, the edges included', async () => {
    const id = await queue(20_000);
    await Promise.all([untilFinished(id), untilFinished(id)]);
    const { customers: n, bad } = await mismatches(ws, 20_000);
    expect(n).toBe(customers.length);
    expect(bad).toEqual([]);
    const [job] = await subgraph.db.query(
      `SELECT total, processed, status FROM loyalty_reevaluation WHERE id = $1`,
      [id],
    );
    expect(job).toEqual({
      total: customers.length,
      processed: customers.length,
      status: 'FINISHED',
    });
    // Each order's first EARN was reversed exactly once and earned again exactly once.
    const [entries] = await subgraph.db.query(
      `SELECT count(*) FILTER (WHERE kind = 'EARN')::int AS earns,
              count(*) FILTER (WHERE kind = 'REVERSE')::int AS reverses
         FROM loyalty_entry WHERE workspace_id = $1`,
      [ws],
    );
    expect(entries).toEqual({ earns: 2 * customers.length, reverses: customers.length });
  });

  it('lets a program change supersede a job half done; the new one covers everyone', async () => {
    const first = await queue(30_000);
    expect(await runReevaluationBatch(subgraph.db, first)).toBe('more');
    const second = await queue(40_000);
    expect(await runReevaluationBatch(subgraph.db, first)).toBe('finished');
    await untilFinished(second);
    const jobs = await subgraph.db.query(
      `SELECT id, status FROM loyalty_reevaluation WHERE id = ANY($1::uuid[])`,
      [[first, second]],
    );
    expect(
      Object.fromEntries(jobs.map((j: { id: string; status: string }) => [j.id, j.status])),
    ).toEqual({
      [first]: 'SUPERSEDED',
      [second]: 'FINISHED',
    });
    expect((await mismatches(ws, 40_000)).bad).toEqual([]);
  });
});

describe('points by hand', () => {
  const ws = newWorkspace();
  const customerId = randomUUID();
  const change = (field: string, points: number) =>
    subgraph.query(
      admin(ws),
      `mutation($c: ID!, $p: Int!) { ${field}(customerId: $c, points: $p, reason: "quà") { redeemablePoints } }`,
      { c: customerId, p: points },
    );

  beforeAll(async () => {
    await setProgram(ws, { expiryMonths: 6 });
    await change('adjustPoints', 30);
  });

  it('lets exactly 3 of 20 concurrent redemptions of 10 through a balance of 30', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => change('redeemPoints', 10)));
    const ok = results.filter((r) => !r.errors);
    expect(ok).toHaveLength(3);
    for (const r of results.filter((r) => r.errors)) {
      expect(r.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    const [b] = await subgraph.db.query(
      'SELECT redeemable::int, qualifying::int FROM loyalty_balance WHERE workspace_id = $1',
      [ws],
    );
    expect(b).toEqual({ redeemable: 0, qualifying: 30 });
  });

  it('never lets staff adjust points, not even a customer of theirs (an adjustment makes points)', async () => {
    const staff: Identity = { workspaceId: ws, userId: 's1', role: 'staff' };
    const asStaff = (field: string) =>
      subgraph.query(
        staff,
        `mutation($c: ID!) { ${field}(customerId: $c, points: 1, reason: "quà") { redeemablePoints } }`,
        { c: customerId },
      );
    const adjusted = await asStaff('adjustPoints');
    expect(adjusted.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(adjusted.data?.adjustPoints ?? null).toBeNull();
    const entries = await subgraph.db.query(
      `SELECT count(*)::int AS n FROM loyalty_entry WHERE workspace_id = $1 AND person = 's1'`,
      [ws],
    );
    expect(entries).toEqual([{ n: 0 }]);
  });

  it('expires points first earned first spent', async () => {
    await change('adjustPoints', 40); // expires in 6 months
    await change('adjustPoints', 5);
    await change('redeemPoints', 30); // spends the 40's first 30
    await subgraph.db.query(
      `UPDATE loyalty_entry SET expires_at = now() - interval '1 second'
        WHERE workspace_id = $1 AND redeemable_delta IN (30, 40)`,
      [ws],
    );
    const body = await change('redeemPoints', 1); // the 30 and 40 are due, 60 were spent: 10 expire
    expect(body.errors).toBeUndefined();
    expect(body.data!.redeemPoints.redeemablePoints).toBe(4);
    const kinds = await subgraph.db.query(
      `SELECT kind, redeemable_delta::int AS r FROM loyalty_entry WHERE workspace_id = $1 ORDER BY created_at`,
      [ws],
    );
    expect(kinds.filter((k: { kind: string }) => k.kind === 'EXPIRE')).toEqual([
      { kind: 'EXPIRE', r: -10 },
    ]);
  });
});

describe('a merge', () => {
  const ws = newWorkspace();
  const [survivor, dup] = [randomUUID(), randomUUID()];
  const merged = () => ({
    ...createEvent({
      type: CUSTOMER_MERGED,
      workspaceId: ws,
      key: survivor,
      payload: { mergeId: 'm-1', survivorId: survivor, mergedIds: [dup], mergedBy: 'editor-1' },
    }),
  });

  it('adds the merged ledger to the survivor and recomputes the tier, exactly once', async () => {
    await setProgram(ws, {});
    await upsert(ws, [
      orderInput({ code: 'S-1', customerId: survivor, total: 300_000 }, 'COMPLETED', 1),
      orderInput({ code: 'D-1', customerId: dup, total: 400_000 }, 'COMPLETED', 1),
    ]);
    const event = merged();
    await applyEvents(subgraph.db, ordersLoyaltySubgraph, event);
    await applyEvents(subgraph.db, ordersLoyaltySubgraph, event);
    const balances = await subgraph.db.query(
      `SELECT customer_id AS id, qualifying::int AS q, tier_name AS tier FROM loyalty_balance WHERE workspace_id = $1`,
      [ws],
    );
    expect(balances).toEqual([{ id: survivor, q: 70, tier: 'Vàng' }]);
    const [count] = await subgraph.db.query(
      `SELECT count(*) FILTER (WHERE kind = 'MERGE')::int AS merges,
              count(*) FILTER (WHERE kind = 'REVERSE')::int AS reverses
         FROM loyalty_entry WHERE workspace_id = $1`,
      [ws],
    );
    expect(count).toEqual({ merges: 1, reverses: 0 });
  });
});
