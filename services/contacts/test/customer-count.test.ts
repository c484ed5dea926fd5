// A workspace's customer count is kept (customer_count, customer.count.ts), not counted:
// it must always say what count(*) says, through every way customers come and go.
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { foldCustomerCounts } from '../src/customers/customer.count';

const a: Identity = { workspaceId: 'count-a', userId: 'admin-a', role: 'admin' };
const b: Identity = { workspaceId: 'count-b', userId: 'admin-b', role: 'admin' };
const staff: Identity = { workspaceId: 'count-a', userId: 'staff-a', role: 'staff' };

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
});
afterAll(() => subgraph?.stop());

const TOTAL = '{ customers(first: 1) { totalCount } }';
async function totalCount(who: Identity): Promise<number> {
  const body = await subgraph.query(who, TOTAL);
  expect(body.errors).toBeUndefined();
  return body.data!.customers.totalCount as number;
}
async function counted(workspaceId: string): Promise<number> {
  const [row] = await subgraph.db.query(
    'SELECT count(*)::int AS n FROM customer WHERE workspace_id = $1',
    [workspaceId],
  );
  return row.n;
}
async function create(who: Identity, name: string, assignedStaff?: string): Promise<string> {
  const body = await subgraph.query(
    who,
    'mutation($i: CustomerInput!) { createCustomer(input: $i) { id } }',
    { i: { name, ...(assignedStaff && { assignedStaff }) } },
  );
  expect(body.errors).toBeUndefined();
  return body.data!.createCustomer.id as string;
}

it('says what count(*) says as customers are created, deleted and counts folded', async () => {
  expect(await totalCount(a)).toBe(0);
  const ids = [];
  for (const name of ['An', 'Bình', 'Chi', 'Dũng']) ids.push(await create(a, name));
  await create(b, 'Elsewhere');
  expect(await totalCount(a)).toBe(4);
  expect(await totalCount(b)).toBe(1);

  const deleted = await subgraph.query(
    a,
    'mutation($ids: [ID!]) { deleteCustomers(ids: $ids) { deleted } }',
    { ids: ids.slice(0, 2) },
  );
  expect(deleted.errors).toBeUndefined();
  expect(await totalCount(a)).toBe(2);
  expect(await totalCount(a)).toBe(await counted(a.workspaceId));

  // Several rows per workspace become one, and the figure stays.
  const before = await subgraph.db.query(
    "SELECT count(*)::int AS n FROM customer_count WHERE workspace_id = 'count-a'",
  );
  expect(before[0].n).toBeGreaterThan(1);
  expect(await foldCustomerCounts(subgraph.db)).toBeGreaterThanOrEqual(1);
  const after = await subgraph.db.query(
    "SELECT count(*)::int AS n FROM customer_count WHERE workspace_id = 'count-a'",
  );
  expect(after[0].n).toBe(1);
  expect(await totalCount(a)).toBe(2);
  expect(await totalCount(b)).toBe(1);
});

it('counts a many-row insert by statement, and writers in parallel transactions', async () => {
  const ws = 'count-bulk';
  await subgraph.db.query('INSERT INTO workspace (id) VALUES ($1) ON CONFLICT DO NOTHING', [ws]);
  await Promise.all(
    [0, 1, 2].map((k) =>
      subgraph.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO customer (workspace_id, name, name_search)
           SELECT $1, 'K' || i, 'k' || i FROM generate_series(1, $2::int) AS i`,
          [ws, 100 * (k + 1)],
        );
        await new Promise((r) => setTimeout(r, 50));
      }),
    ),
  );
  const who: Identity = { workspaceId: ws, userId: 'u', role: 'admin' };
  expect(await totalCount(who)).toBe(600);
  await subgraph.db.query(
    "DELETE FROM customer WHERE workspace_id = $1 AND name LIKE 'K1%'", // K1, K10–K19, K100–K199…
    [ws],
  );
  expect(await totalCount(who)).toBe(await counted(ws));
});

it('counts a staff member’s own customers, not the workspace', async () => {
  await create(a, 'Mine', 'staff-a');
  expect(await totalCount(staff)).toBe(1);
  expect(await totalCount(a)).toBe(3);
});

it('refuses to move a customer to another workspace (it would be miscounted)', async () => {
  const id = await create(a, 'Stays');
  await expect(
    subgraph.db.query("UPDATE customer SET workspace_id = 'count-b' WHERE id = $1", [id]),
  ).rejects.toThrow(/cannot move to another workspace/);
});
