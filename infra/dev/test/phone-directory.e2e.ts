// A customer's phones reach orders-loyalty's phone directory through the real broker
// (contacts.customer.phones-changed, contacts.customer.deleted): created, changed,
// deleted, through the gateway.
import { randomBytes } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestStack } from './stack';
import { eventually } from './webhooks';
import type { TestStack } from './stack';

const ws = `dir-${randomBytes(3).toString('hex')}`;
const admin: Identity = { workspaceId: ws, userId: 'admin-1', role: 'admin' };

let stack: TestStack;
let token: string;
beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.token(admin);
}, 60_000);
afterAll(() => stack?.stop());

async function gql(query: string, variables?: object) {
  const { body } = await stack.query(token, query, variables);
  expect(body.errors).toBeUndefined();
  return body.data!;
}

/** The directory's rows of the workspace, as "number customer". */
async function directory(): Promise<string[]> {
  const rows: { e164: string; customer_id: string }[] = await stack
    .db('orders-loyalty')
    .query('SELECT e164, customer_id FROM phone_directory WHERE workspace_id = $1 ORDER BY e164', [
      ws,
    ]);
  return rows.map((r) => `${r.e164} ${r.customer_id}`);
}

const same = (expected: string[]) => (rows: string[]) =>
  JSON.stringify(rows) === JSON.stringify(expected);

it('follows a customer’s phones from creation to deletion', async () => {
  const created = await gql(
    `mutation { createCustomer(input: { name: "Lan", phone: "0912 777 001" }) { id } }`,
  );
  const id = (created.createCustomer as { id: string }).id;
  expect(await eventually(directory, same([`+84912777001 ${id}`]))).toEqual([`+84912777001 ${id}`]);

  await gql(
    `mutation($id: ID!) { updateCustomer(id: $id, input: { phone: "0912 777 002" }) { id } }`,
    { id },
  );
  expect(await eventually(directory, same([`+84912777002 ${id}`]))).toEqual([`+84912777002 ${id}`]);

  await gql(`mutation($ids: [ID!]) { deleteCustomers(ids: $ids) { deleted } }`, { ids: [id] });
  expect(await eventually(directory, same([]))).toEqual([]);
}, 60_000);
