// contacts announces each customer's phones (contacts.customer.phones-changed), so
// orders-loyalty can tell whose number a phone is: on create, when the set changes,
// and once for customers who had phones before the event existed.
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { AnnouncePhones1763900000170 } from '../src/migrations/1763900000170-AnnouncePhones';

const admin: Identity = { workspaceId: 'phones-ws', userId: 'boss', role: 'admin' };
let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
});
afterAll(() => subgraph?.stop());

/** The phones announced for this customer, oldest first (each payload checked whole). */
async function announced(customerId: string): Promise<string[][]> {
  const rows: { value: { key: string; payload: { customerId: string; phones: string[] } } }[] =
    await subgraph.db.query(
      `SELECT value FROM outbox WHERE topic = 'contacts.customer.phones-changed' AND key = $1
        ORDER BY seq`,
      [customerId],
    );
  for (const { value } of rows) {
    expect(Object.keys(value.payload).sort()).toEqual(['customerId', 'phones']);
    expect(value.payload.customerId).toBe(customerId);
  }
  return rows.map((r) => r.value.payload.phones);
}

async function create(input: object): Promise<string> {
  const body = await subgraph.query(
    admin,
    `mutation($input: CustomerInput!) { createCustomer(input: $input) { id } }`,
    { input },
  );
  expect(body.errors).toBeUndefined();
  return (body.data!.createCustomer as { id: string }).id;
}

async function update(id: string, input: object): Promise<void> {
  const body = await subgraph.query(
    admin,
    `mutation($id: ID!, $input: CustomerPatch!) { updateCustomer(id: $id, input: $input) { id } }`,
    { id, input },
  );
  expect(body.errors).toBeUndefined();
}

it('announces a customer created with phones, in E.164, and not one created without', async () => {
  const id = await create({ name: 'Lan', phone: '0912 345 001', otherPhones: ['01681234001'] });
  expect(await announced(id)).toEqual([['+84912345001', '+84381234001']]);
  expect(await announced(await create({ name: 'Nobody' }))).toEqual([]);
});

it('announces every change of the set of phones, and nothing else', async () => {
  const id = await create({ name: 'Minh', phone: '0912 345 002' });
  await update(id, { city: 'Huế' }); // no phone in the patch
  await update(id, { phone: '+84 912 345 002' }); // the same number, written otherwise
  await update(id, { otherPhones: ['0912 345 003'] });
  await update(id, { phone: '0912 345 003', otherPhones: ['0912 345 002'] }); // a new primary
  await update(id, { phone: null, otherPhones: [] });
  expect(await announced(id)).toEqual([['+84912345002'], ['+84912345002', '+84912345003'], []]);
});

it('announces, once, the phones of customers who had them before the event existed', async () => {
  const id = await create({ name: 'Cũ', phone: '0912 345 004', otherPhones: ['0912 345 005'] });
  const without = await create({ name: 'Không số' });
  await subgraph.db.query(`DELETE FROM outbox WHERE key = ANY($1)`, [[id, without]]);
  const runner = subgraph.db.createQueryRunner();
  try {
    await new AnnouncePhones1763900000170().up(runner);
  } finally {
    await runner.release();
  }
  expect(await announced(id)).toEqual([['+84912345004', '+84912345005']]);
  expect(await announced(without)).toEqual([]);
});
