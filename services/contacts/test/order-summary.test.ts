// orders.customer.summary-changed projected onto the customer: only a newer version
// applies, the type follows hasLiveOrder (docs/customers.md), and a summary for a
// customer contacts does not have, or of another workspace, changes nothing.
import { randomUUID } from 'node:crypto';
import { CUSTOMER_SUMMARY_CHANGED, createEvent, createLogger } from '@customer-graph/runtime';
import type { CustomerSummaryChangedPayload, Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { buyersModule } from '../src/buyers/buyers.module';
import { onSummaryChanged } from '../src/buyers/summary-changed.handler';

const ws = 'summary-ws';
const admin: Identity = { workspaceId: ws, userId: 'boss', role: 'admin' };
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
});
afterAll(() => subgraph?.stop());

async function create(input: object, as = admin): Promise<string> {
  const body = await subgraph.query(
    as,
    `mutation($input: CustomerInput!) { createCustomer(input: $input) { id } }`,
    { input },
  );
  expect(body.errors).toBeUndefined();
  return (body.data!.createCustomer as { id: string }).id;
}

function summary(
  customerId: string,
  version: number,
  fields: Partial<CustomerSummaryChangedPayload> = {},
  workspaceId = ws,
) {
  return createEvent({
    type: CUSTOMER_SUMMARY_CHANGED,
    workspaceId,
    key: customerId,
    payload: {
      customerId,
      version,
      orderCount: version,
      completedCount: 0,
      totalSpent: version * 1_000_000,
      firstOrderAt: '2026-01-01T00:00:00.000Z',
      lastOrderAt: `2026-02-0${version}T00:00:00.000Z`,
      hasLiveOrder: true,
      ...fields,
    },
  });
}

const apply = (...events: ReturnType<typeof summary>[]) =>
  applyEvents(subgraph.db, buyersModule, ...events);

async function row(id: string) {
  const [r] = await subgraph.db.query(
    `SELECT order_count AS "orderCount", total_spent::text AS "totalSpent",
            first_order_at AS "firstOrderAt", last_order_at AS "lastOrderAt",
            has_live_order AS "hasLiveOrder", order_summary_version::int AS version, type,
            updated_at AS "updatedAt"
       FROM customer WHERE id = $1`,
    [id],
  );
  return r;
}

it('reads 0 orders and 0 ₫ before any summary', async () => {
  const id = await create({ name: 'Mới' });
  expect(await row(id)).toMatchObject({
    orderCount: 0,
    totalSpent: '0',
    firstOrderAt: null,
    lastOrderAt: null,
    hasLiveOrder: false,
    version: 0,
    type: 'VISITOR',
  });
});

it('applies a newer version, makes a CUSTOMER of a live order, and ignores older and repeated ones', async () => {
  const id = await create({ name: 'Lan', phone: '0913 000 001' });
  await apply(summary(id, 2, { totalSpent: 2_500_000, orderCount: 3 }));
  const applied = await row(id);
  expect(applied).toMatchObject({
    orderCount: 3,
    totalSpent: '2500000',
    firstOrderAt: new Date('2026-01-01T00:00:00.000Z'),
    lastOrderAt: new Date('2026-02-02T00:00:00.000Z'),
    hasLiveOrder: true,
    version: 2,
    type: 'CUSTOMER',
  });
  // Redelivered (a new event id, the same version), and older: nothing changes.
  await apply(summary(id, 2, { totalSpent: 1 }), summary(id, 1, { hasLiveOrder: false }));
  expect(await row(id)).toEqual(applied);
});

it('gives the type back when no order is live any more, as the derivation says', async () => {
  const lead = await create({ name: 'Bình', email: 'binh@x.vn' });
  const shop = await create({ name: 'Shop', externalIds: [{ source: 'SHOP', id: 'shop-77' }] });
  const visitor = await create({ name: 'Only a name' });
  for (const id of [lead, shop, visitor]) await apply(summary(id, 1));
  expect((await Promise.all([lead, shop, visitor].map(row))).map((r) => r.type)).toEqual([
    'CUSTOMER',
    'CUSTOMER',
    'CUSTOMER',
  ]);
  // Every order cancelled: nothing counted, nothing live.
  const cancelled = { orderCount: 0, totalSpent: 0, hasLiveOrder: false };
  for (const id of [lead, shop, visitor]) {
    await apply(summary(id, 2, { ...cancelled, firstOrderAt: null, lastOrderAt: null }));
  }
  const after = await Promise.all([lead, shop, visitor].map(row));
  expect(after.map((r) => [r.type, r.hasLiveOrder, r.lastOrderAt])).toEqual([
    ['LEAD', false, null],
    ['CUSTOMER', false, null], // still the shop's customer
    ['VISITOR', false, null],
  ]);
});

it('moves updatedAt only when the type changes', async () => {
  const id = await create({ name: 'An', phone: '0913 000 002' });
  await apply(summary(id, 1));
  const becameCustomer = await row(id);
  await apply(summary(id, 2, { totalSpent: 9 }));
  const figuresOnly = await row(id);
  expect(figuresOnly.totalSpent).toBe('9');
  expect(figuresOnly.updatedAt).toEqual(becameCustomer.updatedAt);
});

it('takes the newest summary of each customer in a run, whatever their order', async () => {
  const [a, b] = [await create({ name: 'A' }), await create({ name: 'B' })];
  const run = [summary(a, 5), summary(b, 1), summary(a, 7), summary(a, 6), summary(b, 1)];
  await subgraph.db.transaction((tx) => onSummaryChanged.batch(tx, run, createLogger('error')));
  expect(await row(a)).toMatchObject({ version: 7, orderCount: 7, totalSpent: '7000000' });
  expect(await row(b)).toMatchObject({ version: 1, orderCount: 1 });
});

it('changes nothing for a customer it does not have, nor across workspaces', async () => {
  const other: Identity = { workspaceId: 'summary-other-ws', userId: 'boss', role: 'admin' };
  const mine = await create({ name: 'Mine', phone: '0913 000 003' });
  const theirs = await create({ name: 'Theirs', phone: '0913 000 003' }, other);
  const before = await Promise.all([row(mine), row(theirs)]);
  await apply(
    // Each customer's id under the other workspace, and an id nobody has.
    summary(mine, 1, {}, other.workspaceId),
    summary(theirs, 1),
    summary(randomUUID(), 1),
  );
  expect(await Promise.all([row(mine), row(theirs)])).toEqual(before);
});

it('ignores a summary of a deleted customer', async () => {
  const id = await create({ name: 'Gone' });
  const body = await subgraph.query(
    admin,
    `mutation($ids: [ID!]) { deleteCustomers(ids: $ids) { deleted } }`,
    { ids: [id] },
  );
  expect(body.errors).toBeUndefined();
  await apply(summary(id, 1));
  const [{ n }] = await subgraph.db.query('SELECT count(*)::int AS n FROM customer WHERE id = $1', [
    id,
  ]);
  expect(n).toBe(0);
});
