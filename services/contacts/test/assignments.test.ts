// contacts announces who each customer is assigned to (contacts.customer.assigned), so
// every other subgraph scopes staff to their own customers: on create, on a change,
// in bulk, and once for customers assigned before the event existed.
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { AnnounceAssignments1763900000150 } from '../src/migrations/1763900000150-AnnounceAssignments';

const admin: Identity = { workspaceId: 'assign-ws', userId: 'boss', role: 'admin' };
let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
});
afterAll(() => subgraph?.stop());

/** The assignment events in the outbox for this customer, oldest first. */
async function announced(customerId: string): Promise<(string | null)[]> {
  const rows: { value: { payload: { assignedStaff: string | null } } }[] = await subgraph.db.query(
    `SELECT value FROM outbox WHERE topic = 'contacts.customer.assigned' AND key = $1 ORDER BY seq`,
    [customerId],
  );
  return rows.map((r) => r.value.payload.assignedStaff);
}

async function create(assignedStaff: string | null): Promise<string> {
  const body = await subgraph.query(
    admin,
    `mutation($input: CustomerInput!) { createCustomer(input: $input) { id } }`,
    { input: { name: 'Lan', assignedStaff } },
  );
  expect(body.errors).toBeUndefined();
  return (body.data!.createCustomer as { id: string }).id;
}

it('announces a customer created for a staff member, and not one created for nobody', async () => {
  expect(await announced(await create('sam'))).toEqual(['sam']);
  expect(await announced(await create(null))).toEqual([]);
});

it('announces every change of assignment, unassigning included', async () => {
  const id = await create('sam');
  for (const assignedStaff of ['kim', null]) {
    const body = await subgraph.query(
      admin,
      `mutation($id: ID!, $input: CustomerPatch!) { updateCustomer(id: $id, input: $input) { id } }`,
      { id, input: { assignedStaff } },
    );
    expect(body.errors).toBeUndefined();
  }
  // A patch that leaves the assignment alone announces nothing.
  await subgraph.query(
    admin,
    `mutation($id: ID!) { updateCustomer(id: $id, input: { city: "Huế" }) { id } }`,
    { id },
  );
  expect(await announced(id)).toEqual(['sam', 'kim', null]);
});

it('announces a bulk reassignment for each customer it changed', async () => {
  const ids = [await create(null), await create('sam')];
  const body = await subgraph.query(
    admin,
    `mutation($ids: [ID!]!) { updateCustomers(ids: $ids, action: { assignStaff: "lee" }) { updated } }`,
    { ids },
  );
  expect(body.errors).toBeUndefined();
  expect(await announced(ids[0])).toEqual(['lee']);
  expect(await announced(ids[1])).toEqual(['sam', 'lee']);
});

it('announces, once, the customers assigned before the event existed', async () => {
  const id = await create('old-timer');
  await subgraph.db.query(`DELETE FROM outbox WHERE key = $1`, [id]);
  const runner = subgraph.db.createQueryRunner();
  try {
    await new AnnounceAssignments1763900000150().up(runner);
  } finally {
    await runner.release();
  }
  expect(await announced(id)).toEqual(['old-timer']);
});

it('tells staff only that they cannot add an external id another customer holds', async () => {
  const theirs = await subgraph.query(
    admin,
    `mutation { createCustomer(input: { name: "Kim", externalIds: [{ source: SHOP, id: "buyer-42" }] }) { id } }`,
  );
  expect(theirs.errors).toBeUndefined();
  const sam: Identity = { workspaceId: admin.workspaceId, userId: 'sam', role: 'staff' };
  const mine = await create('sam');
  const add = `mutation($id: ID!) {
    updateCustomer(id: $id, input: { addExternalIds: [{ source: SHOP, id: "buyer-42" }] }) { id } }`;
  const refused = await subgraph.query(sam, add, { id: mine });
  expect(refused.errors?.[0].extensions).toMatchObject({
    code: 'FORBIDDEN',
    field: 'input.addExternalIds[0]',
  });
  expect(refused.errors?.[0].message).not.toMatch(/another customer/);
  // Who may see every customer learns that it is taken.
  const editor: Identity = { ...sam, userId: 'ed', role: 'editor' };
  const conflict = await subgraph.query(editor, add, { id: mine });
  expect(conflict.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT' });
  expect(conflict.errors?.[0].message).toMatch(/belongs to another customer/);
});
