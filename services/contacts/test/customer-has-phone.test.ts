// customer.has_phone (migration CustomerHasPhone, issue 16) is what `phone: { isEmpty }`
// reads: it must equal "has a row in customer_phone" after every way phones are
// written — createCustomer and updateCustomer, an import, a customer made from a
// phone, plain SQL (insert, delete, move, a customer's deletion) — and when one
// transaction removes a customer's last phone while another adds one.
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { customersForPhones, profileOf } from '../src/customers/customer.from-phone';

const ws = 'has-phone-ws';
const admin: Identity = { workspaceId: ws, userId: 'boss', role: 'admin' };
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
});
afterAll(() => subgraph?.stop());

async function gql(query: string, variables?: object) {
  const body = await subgraph.query(admin, query, variables);
  expect(body.errors).toBeUndefined();
  return body.data!;
}

async function create(input: object): Promise<string> {
  const { createCustomer } = await gql(
    `mutation($input: CustomerInput!) { createCustomer(input: $input) { id } }`,
    { input },
  );
  return createCustomer.id;
}

async function update(id: string, input: object): Promise<void> {
  await gql(
    `mutation($id: ID!, $input: CustomerPatch!) { updateCustomer(id: $id, input: $input) { id } }`,
    { id, input },
  );
}

async function hasPhone(id: string): Promise<boolean> {
  const [row] = await subgraph.db.query(
    'SELECT has_phone FROM customer WHERE workspace_id = $1 AND id = $2',
    [ws, id],
  );
  return row.has_phone;
}

/** Customers of the workspace whose has_phone is not what their phones say. */
async function wrong(): Promise<string[]> {
  const rows: { id: string }[] = await subgraph.db.query(
    `SELECT c.id FROM customer c
      WHERE c.workspace_id = $1
        AND c.has_phone <> EXISTS (SELECT 1 FROM customer_phone p
                                    WHERE p.workspace_id = c.workspace_id AND p.customer_id = c.id)`,
    [ws],
  );
  return rows.map((r) => r.id);
}

/** The ids the list gives for a filter (a page of 250 is every one of them here). */
async function listed(filter: object): Promise<string[]> {
  const { customers } = await gql(
    `query($f: CustomerFilter) { customers(first: 250, filter: $f) { totalCount edges { node { id } } } }`,
    { f: filter },
  );
  expect(customers.totalCount).toBe(customers.edges.length);
  return customers.edges.map((e: { node: { id: string } }) => e.node.id).sort();
}

it('follows createCustomer and updateCustomer, and the list filters by it', async () => {
  const lan = await create({ name: 'Lan', phone: '0912 300 001', otherPhones: ['0912 300 002'] });
  const minh = await create({ name: 'Minh' });
  expect([await hasPhone(lan), await hasPhone(minh)]).toEqual([true, false]);
  expect(await listed({ phone: { isEmpty: true } })).toContain(minh);
  expect(await listed({ phone: { isEmpty: true } })).not.toContain(lan);

  await update(lan, { phone: null, otherPhones: [] });
  await update(minh, { phone: '0912 300 003' });
  expect([await hasPhone(lan), await hasPhone(minh)]).toEqual([false, true]);
  expect(await listed({ phone: { isNotEmpty: true } })).toContain(minh);
  expect(await listed({ phone: { isNotEmpty: true } })).not.toContain(lan);
  await update(minh, { otherPhones: ['0912 300 004'] }); // phones rewritten, still some
  expect(await hasPhone(minh)).toBe(true);
  expect(await wrong()).toEqual([]);
});

it('follows an import, which sets it in its INSERT, and a customer made from a phone', async () => {
  const { startCustomerImport } = await gql(
    `mutation($input: CustomerImportInput!) { startCustomerImport(input: $input) { id } }`,
    { input: { csv: 'Name,Phone,Email\nCó Số,0912 300 010,\nKhông Số,,khong@so.vn\n' } },
  );
  for (;;) {
    const { importJob } = await gql(`{ importJob(id: "${startCustomerImport.id}") { status } }`);
    if (importJob.status === 'DONE') break;
    expect(importJob.status).not.toBe('FAILED');
    await new Promise((r) => setTimeout(r, 50));
  }
  const [owner] = await subgraph.db.transaction((tx) =>
    customersForPhones(
      tx,
      [
        {
          workspaceId: ws,
          e164: '+84912300011',
          number: '0912300011',
          profiles: [profileOf({ name: 'Zalo' })],
        },
      ],
      { touchAll: false },
    ),
  );
  expect(await hasPhone(owner.customerId)).toBe(true);
  const imported: { name: string; has_phone: boolean }[] = await subgraph.db.query(
    `SELECT name, has_phone FROM customer WHERE workspace_id = $1 AND name IN ('Có Số', 'Không Số')
      ORDER BY name`,
    [ws],
  );
  expect(imported).toEqual([
    { name: 'Có Số', has_phone: true },
    { name: 'Không Số', has_phone: false },
  ]);
  expect(await wrong()).toEqual([]);
});

it('follows phones written with SQL: inserted, deleted, moved, and a deleted customer', async () => {
  const a = await create({ name: 'A' });
  const b = await create({ name: 'B', phone: '0912 300 020' });
  await subgraph.db.query(
    `INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
     VALUES ($1, $2, '0912300021', '+84912300021', 0), ($1, $2, '0912300022', '+84912300022', 1)`,
    [ws, a],
  );
  expect(await hasPhone(a)).toBe(true);
  // b's only phone moves to a: b has none left.
  await subgraph.db.query(
    'UPDATE customer_phone SET customer_id = $2, position = 5 WHERE workspace_id = $1 AND customer_id = $3',
    [ws, a, b],
  );
  expect([await hasPhone(a), await hasPhone(b)]).toEqual([true, false]);
  await subgraph.db.query(
    `DELETE FROM customer_phone WHERE workspace_id = $1 AND customer_id = $2 AND position > 0`,
    [ws, a],
  );
  expect(await hasPhone(a)).toBe(true); // one left
  await subgraph.db.query(
    'DELETE FROM customer_phone WHERE workspace_id = $1 AND customer_id = $2',
    [ws, a],
  );
  expect(await hasPhone(a)).toBe(false);
  const c = await create({ name: 'C', phone: '0912 300 023' });
  await gql(`mutation($ids: [ID!]!) { deleteCustomers(ids: $ids) { deleted } }`, { ids: [c] });
  expect(await wrong()).toEqual([]);
});

it('stays true when one transaction removes the last phone while another adds one', async () => {
  const insert = (id: string, n: number) =>
    `INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
     VALUES ('${ws}', '${id}', '09123000${n}', '+849123000${n}', ${n})`;
  for (const removerFirst of [true, false]) {
    const id = await create({ name: 'Race', phone: '0912 300 030' });
    const remover = subgraph.db.createQueryRunner();
    const adder = subgraph.db.createQueryRunner();
    try {
      await remover.startTransaction();
      await adder.startTransaction();
      let added: Promise<unknown>;
      if (removerFirst) {
        // The remover has locked the customer: the adder's foreign key check waits.
        await remover.query(`DELETE FROM customer_phone WHERE customer_id = '${id}'`);
        added = adder.query(insert(id, 31));
        await remover.commitTransaction();
        await added;
      } else {
        // The adder holds the customer's key share: the remover's lock waits for it.
        await adder.query(insert(id, 31));
        const removed = remover.query(
          `DELETE FROM customer_phone WHERE customer_id = '${id}' AND position = 0`,
        );
        await adder.commitTransaction();
        await removed;
        await remover.commitTransaction();
      }
      if (adder.isTransactionActive) await adder.commitTransaction();
    } finally {
      await remover.release();
      await adder.release();
    }
    expect(await hasPhone(id)).toBe(true);
  }
  expect(await wrong()).toEqual([]);
});
