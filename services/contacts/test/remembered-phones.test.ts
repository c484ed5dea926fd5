// Phone groups remember the unknown: a number of a PRIORITY/RESTRICTED upload that no
// customer has is kept, and whoever gets it later — createCustomer, updateCustomer, a
// Zalo follower's phone, an order's buyer, a call, an import — is in the group at once,
// in the transaction that gave them the number.
import { randomUUID } from 'node:crypto';
import { BUYER_SEEN, FOLLOWER_PHONE_SHARED, createEvent } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { buyersModule } from '../src/buyers/buyers.module';
import { zaloModule } from '../src/zalo/zalo.module';

const ws = 'remembered-ws';
const admin: Identity = { workspaceId: ws, userId: 'boss', role: 'admin' };
const staff: Identity = { workspaceId: ws, userId: 'staff-1', role: 'staff' };
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
  await subgraph.db.query('INSERT INTO workspace (id) VALUES ($1)', [ws]);
});
afterAll(() => subgraph?.stop());

async function gql(identity: Identity, query: string, variables?: object) {
  const body = await subgraph.query(identity, query, variables);
  expect(body.errors).toBeUndefined();
  return body.data!;
}

const mark = (group: string, phones: string[], identity = admin) =>
  gql(
    identity,
    `mutation ($group: CustomerGroup!, $phones: [String!]) {
       markCustomersByPhones(group: $group, phones: $phones) { matched unmatched remembered }
     }`,
    { group, phones },
  ).then((d) => d.markCustomersByPhones);

async function groupOfPhone(e164: string): Promise<string | null | undefined> {
  const rows = await subgraph.db.query(
    `SELECT c.customer_group FROM customer c JOIN customer_phone p ON p.customer_id = c.id
      WHERE p.workspace_id = $1 AND p.e164 = $2`,
    [ws, e164],
  );
  return rows[0]?.customer_group;
}

async function remembered(): Promise<Record<string, string>> {
  const rows: { e164: string; customer_group: string }[] = await subgraph.db.query(
    'SELECT e164, customer_group FROM remembered_phone_group WHERE workspace_id = $1',
    [ws],
  );
  return Object.fromEntries(rows.map((r) => [r.e164, r.customer_group]));
}

it('remembers unmatched numbers and puts a customer created with one in the group', async () => {
  await gql(
    admin,
    `mutation { createCustomer(input: { name: "An", phone: "0901000001" }) { id } }`,
  );
  expect(await mark('PRIORITY', ['0901000001', '0901 000 002'])).toEqual({
    matched: 1,
    unmatched: 1,
    remembered: 1,
  });
  expect(await remembered()).toMatchObject({ '+84901000002': 'PRIORITY' });
  const created = await gql(
    admin,
    `mutation { createCustomer(input: { name: "Bình", phone: "+84 901 000 002" }) { id group } }`,
  );
  // The answer is read in the transaction, after the trigger: the group is already there.
  expect(created.createCustomer.group).toBe('PRIORITY');
  expect(await remembered()).not.toHaveProperty('+84901000002');
});

it('applies on updateCustomer adding the number, the newest upload winning', async () => {
  await mark('PRIORITY', ['0901000003']);
  await mark('RESTRICTED', ['0901000003']);
  expect(await remembered()).toMatchObject({ '+84901000003': 'RESTRICTED' });
  const { createCustomer } = await gql(
    admin,
    `mutation { createCustomer(input: { name: "Chi", phone: "0901000004" }) { id group } }`,
  );
  expect(createCustomer.group).toBeNull();
  const { updateCustomer } = await gql(
    admin,
    `mutation ($id: ID!) { updateCustomer(id: $id, input: { otherPhones: ["0901000003"] }) { group } }`,
    { id: createCustomer.id },
  );
  expect(updateCustomer.group).toBe('RESTRICTED');
});

it('applies to a customer made by a Zalo follower sharing the number', async () => {
  await mark('PRIORITY', ['0901000005']);
  const event = createEvent({
    type: FOLLOWER_PHONE_SHARED,
    workspaceId: ws,
    key: '+84901000005',
    payload: {
      followerId: randomUUID(),
      zaloUserId: 'zalo-5',
      phone: '0901000005',
      phoneE164: '+84901000005',
      name: 'Dũng',
      address: null,
      city: null,
      district: null,
      ward: null,
    },
  });
  await applyEvents(subgraph.db, zaloModule, event);
  expect(await groupOfPhone('+84901000005')).toBe('PRIORITY');
});

it("applies to a customer made by an order's buyer", async () => {
  await mark('RESTRICTED', ['0901000006']);
  const event = createEvent({
    type: BUYER_SEEN,
    workspaceId: ws,
    key: '+84901000006',
    payload: { phoneE164: '+84901000006', source: 'SHOPEE', name: 'Giang' },
  });
  await applyEvents(subgraph.db, buyersModule, event);
  expect(await groupOfPhone('+84901000006')).toBe('RESTRICTED');
});

it('applies to a customer made by a recorded call', async () => {
  await mark('PRIORITY', ['0901000007']);
  await gql(
    admin,
    `mutation { recordCalls(calls: [{ providerCallId: "call-7", hotline: "0281234567",
       customerNumber: "0901000007", direction: "INBOUND", result: "ANSWERED",
       startedAt: "2025-06-01T03:00:00Z", talkDuration: 30 }]) { created rejected { reason } } }`,
  );
  expect(await groupOfPhone('+84901000007')).toBe('PRIORITY');
});

it('applies to a customer made by an import', async () => {
  await mark('RESTRICTED', ['0901000008']);
  const { startCustomerImport } = await gql(
    admin,
    `mutation ($csv: String!) { startCustomerImport(input: { csv: $csv }) { id } }`,
    { csv: 'Họ tên,SĐT\nHà,0901.000.008\n' },
  );
  for (;;) {
    const { importJob } = await gql(
      admin,
      `{ importJob(id: "${startCustomerImport.id}") { status } }`,
    );
    if (importJob.status === 'DONE') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(await groupOfPhone('+84901000008')).toBe('RESTRICTED');
});

it('staff mark their own customers and remember nothing', async () => {
  expect(await mark('PRIORITY', ['0901000009'], staff)).toEqual({
    matched: 0,
    unmatched: 1,
    remembered: 0,
  });
  expect(await remembered()).not.toHaveProperty('+84901000009');
});

it('lists and forgets remembered numbers (admins and editors)', async () => {
  await mark('PRIORITY', ['0901000010', '0901000011']);
  const { rememberedPhones } = await gql(
    admin,
    `{ rememberedPhones(group: PRIORITY, first: 1) { totalCount edges { node { phone group uploadedBy } } pageInfo { hasNextPage } } }`,
  );
  expect(rememberedPhones.totalCount).toBeGreaterThanOrEqual(2);
  expect(rememberedPhones.edges).toHaveLength(1);
  expect(rememberedPhones.edges[0].node).toMatchObject({ group: 'PRIORITY', uploadedBy: 'boss' });
  expect(rememberedPhones.pageInfo.hasNextPage).toBe(true);
  const forgot = await gql(admin, `mutation { forgetRememberedPhones(phones: ["+84901000010"]) }`);
  expect(forgot.forgetRememberedPhones).toBe(1);
  expect(await remembered()).not.toHaveProperty('+84901000010');
  await gql(admin, `mutation { forgetRememberedPhones(group: PRIORITY) }`);
  expect(Object.values(await remembered())).not.toContain('PRIORITY');
  const refused = await subgraph.query(staff, `{ rememberedPhones { totalCount } }`);
  expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  // A customer getting a forgotten number is not put in a group.
  const { createCustomer } = await gql(
    admin,
    `mutation { createCustomer(input: { name: "Khoa", phone: "0901000011" }) { group } }`,
  );
  expect(createCustomer.group).toBeNull();
});

it('another workspace never sees or uses the numbers', async () => {
  await mark('PRIORITY', ['0901000012']);
  const other: Identity = { workspaceId: 'remembered-other', userId: 'boss', role: 'admin' };
  await subgraph.db.query('INSERT INTO workspace (id) VALUES ($1)', [other.workspaceId]);
  const { createCustomer } = await gql(
    other,
    `mutation { createCustomer(input: { name: "Lan", phone: "0901000012" }) { group } }`,
  );
  expect(createCustomer.group).toBeNull();
  const { rememberedPhones } = await gql(other, `{ rememberedPhones { totalCount } }`);
  expect(rememberedPhones.totalCount).toBe(0);
  expect(await remembered()).toHaveProperty('+84901000012');
});
