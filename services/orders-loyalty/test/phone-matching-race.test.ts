// An upsert and a handler of the same number, in flight together (phone-directory.lock.ts):
// the handler records the number and attaches what it can see while an upsert of an
// order with that number is running. Without the per-workspace lock, the upsert misses
// the number (not committed yet), the handler misses the order (not committed yet), and
// the order waits for a customer forever. Forced here every time: the handler's
// transaction is held open while the upsert starts.
import { randomUUID } from 'node:crypto';
import {
  CUSTOMER_BUYER_MATCHED,
  CUSTOMER_PHONES_CHANGED,
  createEvent,
} from '@customer-graph/runtime';
import type { AnyEvent, Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { createLogger } from '@customer-graph/runtime';
import { ordersLoyaltySubgraph } from '../src';

const UPSERT = `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created rejected { reason } } }`;

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(ordersLoyaltySubgraph);
});
afterAll(() => subgraph?.stop());

const order = (code: string, buyerPhone: string) => ({
  source: 'WEBSITE',
  code,
  status: 'COMPLETED',
  buyerPhone,
  items: [{ productName: 'Áo', quantity: 1, unitPrice: 10_000 }],
  subtotal: 10_000,
  total: 10_000,
  orderedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

/** Applies the event as the consumer does, in a transaction left open until `commit`. */
async function holdOpen(event: AnyEvent) {
  const runner = subgraph.db.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  const handler = ordersLoyaltySubgraph.consumes![event.type]!;
  if ('batch' in handler)
    await handler.batch(runner.manager, [event as never], createLogger('error'));
  else await handler(runner.manager, event as never, createLogger('error'));
  return async () => {
    await runner.commitTransaction();
    await runner.release();
  };
}

async function upsertWhileHeld(
  ws: string,
  code: string,
  phone: string,
  commit: () => Promise<void>,
) {
  const editor: Identity = { workspaceId: ws, userId: 'e', role: 'editor' };
  const upserting = subgraph.query(editor, UPSERT, { o: [order(code, phone)] });
  // The upsert waits for the handler's lock (before writing anything); were there no
  // lock, it would finish meanwhile, and the assertion below would catch the miss.
  let done = false;
  void upserting.then(() => (done = true));
  while (!done) {
    const [{ n }] = await subgraph.db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event = 'advisory'`,
    );
    if (n === 1) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await commit();
  const body = await upserting;
  expect(body.errors).toBeUndefined();
  expect(body.data!.upsertOrders).toEqual({ created: 1, rejected: [] });
}

const ownerOf = async (ws: string, code: string) =>
  (
    await subgraph.db.query(
      'SELECT customer_id FROM customer_order WHERE workspace_id = $1 AND code = $2',
      [ws, code],
    )
  )[0].customer_id as string | null;

it('attaches an order upserted while phones-changed records its number', async () => {
  const ws = `race-${randomUUID().slice(0, 8)}`;
  const lan = randomUUID();
  const commit = await holdOpen(
    createEvent({
      type: CUSTOMER_PHONES_CHANGED,
      workspaceId: ws,
      key: lan,
      payload: { customerId: lan, phones: ['+84912700001'] },
    }),
  );
  await upsertWhileHeld(ws, 'RACE-1', '0912 700 001', commit);
  expect(await ownerOf(ws, 'RACE-1')).toBe(lan);
});

it('attaches an order upserted while buyer-matched records its number', async () => {
  const ws = `race-${randomUUID().slice(0, 8)}`;
  const hoa = randomUUID();
  const commit = await holdOpen(
    createEvent({
      type: CUSTOMER_BUYER_MATCHED,
      workspaceId: ws,
      key: hoa,
      payload: { customerId: hoa, phoneE164: '+84912700002', created: true },
    }),
  );
  await upsertWhileHeld(ws, 'RACE-2', '84912700002', commit);
  expect(await ownerOf(ws, 'RACE-2')).toBe(hoa);
});
