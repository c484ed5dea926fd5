// The loyalty sweep on real Postgres (docs/loyalty.md): a customer whose points were
// earned 13 months ago (times moved back with SQL, as if 13 months had passed) is
// reconciled with no new order: the points expire, the rolling-window tier drops and
// orders.customer.tier-changed goes out; a second sweep, or two at once, write nothing
// more; a customer with nothing due is left as it is.
import { randomUUID } from 'node:crypto';
import { CUSTOMER_TIER_CHANGED } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { ordersLoyaltySubgraph } from '../src';
import { runReevaluationBatch } from '../src/loyalty/loyalty.job';
import { dueWorkspaces, runSweepBatch } from '../src/loyalty/loyalty.sweep';

let subgraph: TestSubgraph;
beforeAll(async () => {
  // The worker sweeps once at start, then hourly: these tests sweep by hand.
  subgraph = await startTestSubgraph(ordersLoyaltySubgraph);
});
afterAll(() => subgraph?.stop());

const admin = (workspaceId: string): Identity => ({ workspaceId, userId: 'a1', role: 'admin' });

async function setUp(ws: string) {
  const body = await subgraph.query(
    admin(ws),
    `mutation($i: LoyaltyProgramInput!) { setLoyaltyProgram(input: $i) { reevaluation { id } } }`,
    {
      i: {
        tiers: [
          { name: 'Bạc', threshold: 0 },
          { name: 'Vàng', threshold: 50 },
        ],
        earnPoints: 1,
        earnPerAmount: 10_000,
        tierPeriod: 'ROLLING_12_MONTHS',
        expiryMonths: 12,
      },
    },
  );
  expect(body.errors).toBeUndefined();
  const id = body.data!.setLoyaltyProgram.reevaluation.id as string;
  while ((await runReevaluationBatch(subgraph.db, id)) !== 'finished');
}

/** A COMPLETED order of 1,000,000 ₫ (100 points) for the customer, ordered now. */
async function completedOrder(ws: string, customerId: string) {
  const now = new Date().toISOString();
  const body = await subgraph.query(
    admin(ws),
    `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { rejected { field reason } } }`,
    {
      o: [
        {
          source: 'WEBSITE',
          code: `W-${randomUUID().slice(0, 8)}`,
          status: 'COMPLETED',
          customerId,
          items: [{ productName: 'Áo', quantity: 1, unitPrice: 1_000_000 }],
          subtotal: 1_000_000,
          total: 1_000_000,
          orderedAt: now,
          updatedAt: now,
        },
      ],
    },
  );
  expect(body.errors).toBeUndefined();
  expect(body.data!.upsertOrders.rejected).toEqual([]);
}

/** As if 13 months had passed for this customer: every time of its orders and ledger moves back. */
async function age(ws: string, customerId: string) {
  const back = `- interval '13 months'`;
  await subgraph.db.query(
    `UPDATE customer_order SET ordered_at = ordered_at ${back} WHERE workspace_id = $1 AND customer_id = $2`,
    [ws, customerId],
  );
  await subgraph.db.query(
    `UPDATE loyalty_entry SET window_at = window_at ${back}, expires_at = expires_at ${back},
            created_at = created_at ${back}
      WHERE workspace_id = $1 AND customer_id = $2`,
    [ws, customerId],
  );
  await subgraph.db.query(
    `UPDATE loyalty_balance SET due_at = due_at ${back} WHERE workspace_id = $1 AND customer_id = $2`,
    [ws, customerId],
  );
}

async function sweepAll(ws: string) {
  while ((await runSweepBatch(subgraph.db, ws)) === 'more');
}

const ledger = (ws: string, customerId: string) =>
  subgraph.db.query(
    `SELECT kind, qualifying_delta::int AS q, redeemable_delta::int AS r
       FROM loyalty_entry WHERE workspace_id = $1 AND customer_id = $2 ORDER BY created_at, id`,
    [ws, customerId],
  );
const balance = async (ws: string, customerId: string) =>
  (
    await subgraph.db.query(
      `SELECT qualifying::int, redeemable::int, tier_rank AS "tierRank", tier_name AS "tierName",
              version::int, due_at AS "dueAt"
         FROM loyalty_balance WHERE workspace_id = $1 AND customer_id = $2`,
      [ws, customerId],
    )
  )[0];
const tierEvents = (ws: string, customerId: string) =>
  subgraph.db.query(
    `SELECT value->'payload' AS payload FROM outbox
      WHERE workspace_id = $1 AND topic = $2 AND key = $3 ORDER BY seq`,
    [ws, CUSTOMER_TIER_CHANGED, customerId],
  );

describe('the loyalty sweep', () => {
  const ws = `sweep-${randomUUID().slice(0, 8)}`;
  const [old, fresh] = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    await setUp(ws);
    await completedOrder(ws, old);
    await completedOrder(ws, fresh);
    await age(ws, old);
  });

  it('expires the points of a customer earned 13 months ago and drops the tier', async () => {
    expect(await balance(ws, old)).toMatchObject({
      qualifying: 100,
      redeemable: 100,
      tierName: 'Vàng',
    });
    expect((await dueWorkspaces(subgraph.db)).map((w) => w.workspaceId)).toContain(ws);
    const before = await tierEvents(ws, old);
    await sweepAll(ws);
    expect(await ledger(ws, old)).toEqual([
      { kind: 'EARN', q: 100, r: 100 },
      { kind: 'EXPIRE', q: 0, r: -100 },
    ]);
    const after = await balance(ws, old);
    expect(after).toMatchObject({ qualifying: 0, redeemable: 0, tierRank: 1, tierName: 'Bạc' });
    // Nothing left to fall due: no redeemable points, nothing counted in the window.
    expect(after.dueAt).toBeNull();
    const events = (await tierEvents(ws, old)).slice(before.length);
    expect(events.map((e: { payload: unknown }) => e.payload)).toEqual([
      {
        customerId: old,
        version: after.version,
        tierRank: 1,
        tierName: 'Bạc',
        qualifyingPoints: 0,
      },
    ]);
    expect((await dueWorkspaces(subgraph.db)).map((w) => w.workspaceId)).not.toContain(ws);
  });

  it('writes nothing the second time', async () => {
    const entries = await ledger(ws, old);
    const events = await tierEvents(ws, old);
    const state = await balance(ws, old);
    // Even when the row is made due again by hand: the reconciliation writes only differences.
    await subgraph.db.query(
      `UPDATE loyalty_balance SET due_at = now() - interval '1 second' WHERE workspace_id = $1 AND customer_id = $2`,
      [ws, old],
    );
    await sweepAll(ws);
    expect(await ledger(ws, old)).toEqual(entries);
    expect(await tierEvents(ws, old)).toEqual(events);
    expect(await balance(ws, old)).toEqual(state);
  });

  it('leaves a customer with nothing due as it is', async () => {
    const state = await balance(ws, fresh);
    // Its points expire, and its order leaves the window, in 12 months.
    expect(state).toMatchObject({ qualifying: 100, redeemable: 100, tierName: 'Vàng' });
    expect(new Date(state.dueAt).getTime()).toBeGreaterThan(Date.now());
    await sweepAll(ws);
    expect(await balance(ws, fresh)).toEqual(state);
    expect(await ledger(ws, fresh)).toEqual([{ kind: 'EARN', q: 100, r: 100 }]);
  });
});

describe('two sweeps at once', () => {
  const ws = `sweep-${randomUUID().slice(0, 8)}`;
  const customers = [randomUUID(), randomUUID(), randomUUID()];

  beforeAll(async () => {
    await setUp(ws);
    for (const c of customers) {
      await completedOrder(ws, c);
      await age(ws, c);
    }
  });

  it('expire each customer once', async () => {
    await Promise.all([sweepAll(ws), sweepAll(ws), sweepAll(ws)]);
    // A sweep that found every due row taken ('busy') stops; whatever is left goes now.
    await sweepAll(ws);
    for (const c of customers) {
      expect(await ledger(ws, c)).toEqual([
        { kind: 'EARN', q: 100, r: 100 },
        { kind: 'EXPIRE', q: 0, r: -100 },
      ]);
      const events = await tierEvents(ws, c);
      expect(events.at(-1).payload).toMatchObject({ tierName: 'Bạc', qualifyingPoints: 0 });
      expect(
        events.filter((e: { payload: { tierName: string } }) => e.payload.tierName === 'Bạc'),
      ).toHaveLength(1);
    }
  });

  it('skips a row another transaction holds, and takes it once it is free', async () => {
    const held = randomUUID();
    await completedOrder(ws, held);
    await age(ws, held);
    const runner = subgraph.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(
        `SELECT 1 FROM loyalty_balance WHERE workspace_id = $1 AND customer_id = $2 FOR UPDATE`,
        [ws, held],
      );
      expect(await runSweepBatch(subgraph.db, ws)).toBe('busy');
      expect(await ledger(ws, held)).toEqual([{ kind: 'EARN', q: 100, r: 100 }]);
    } finally {
      await runner.commitTransaction();
      await runner.release();
    }
    await sweepAll(ws);
    await sweepAll(ws);
    expect(await ledger(ws, held)).toEqual([
      { kind: 'EARN', q: 100, r: 100 },
      { kind: 'EXPIRE', q: 0, r: -100 },
    ]);
  });
});
