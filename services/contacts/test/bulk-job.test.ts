// A background bulk job survives its service stopping mid-way: the restarted service
// goes on from the last committed batch, so every customer is handled exactly once.
import type { Identity } from '@customer-graph/runtime';
import { JOB_FAILED_MESSAGE } from '@customer-graph/runtime';
import { createTestDatabase, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { BATCH_SIZE } from '../src/bulk/bulk-job.service';

const admin: Identity = { workspaceId: 'bulk-restart', userId: 'admin-1', role: 'admin' };
const CUSTOMERS = 40 * BATCH_SIZE;

let databaseUrl: string;
let subgraph: TestSubgraph;

const job = async (id: string) =>
  (await subgraph.query(admin, `{ bulkJob(id: "${id}") { status processed total failed } }`)).data!
    .bulkJob as { status: string; processed: number; total: number; failed: number };

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase('contacts-bulk');
  subgraph = await startTestSubgraph(contactsSubgraph, { databaseUrl });
  await subgraph.db.query('INSERT INTO workspace (id) VALUES ($1)', [admin.workspaceId]);
  // Customers spread one second apart, so (created_at, id) order is the insert order.
  await subgraph.db.query(
    `INSERT INTO customer (workspace_id, name, name_search, created_at, updated_at)
     SELECT $1, 'Khách ' || i, 'khach ' || i, timestamptz '2025-01-01' + i * interval '1 second', now()
       FROM generate_series(1, $2) AS i`,
    [admin.workspaceId, CUSTOMERS],
  );
}, 60_000);

afterAll(() => subgraph?.stop());

it('goes on after a restart from its last batch, handling each customer once', async () => {
  const started = await subgraph.query(
    admin,
    'mutation { startBulkJob(filter: { name: { startsWith: "khach" } }, action: { addTags: ["tet"] }) { id total } }',
  );
  expect(started.errors).toBeUndefined();
  const { id, total } = started.data!.startBulkJob as { id: string; total: number };
  expect(total).toBe(CUSTOMERS);
  const midway = await until(
    () => job(id),
    (j) => j.processed >= 2 * BATCH_SIZE,
  );
  expect(midway.status).toBe('RUNNING');
  await subgraph.stop();
  subgraph = await startTestSubgraph(contactsSubgraph, { databaseUrl });
  const [checkpoint] = await subgraph.db.query(
    'SELECT processed, status FROM bulk_job WHERE id = $1',
    [id],
  );
  expect(checkpoint.processed).toBeLessThan(CUSTOMERS);
  expect(checkpoint.processed % BATCH_SIZE).toBe(0);
  const done = await until(
    () => job(id),
    (j) => j.status === 'DONE',
  );
  expect(done).toEqual({ status: 'DONE', processed: CUSTOMERS, total: CUSTOMERS, failed: 0 });
  const [tags] = await subgraph.db.query(
    `SELECT count(*) FILTER (WHERE tags = '{tet}')::int AS once, count(*)::int AS n
       FROM customer WHERE workspace_id = $1`,
    [admin.workspaceId],
  );
  expect(tags).toEqual({ once: CUSTOMERS, n: CUSTOMERS });
});

it('fails a job whose filter no longer compiles, saying why', async () => {
  // As if the custom field the filter names were deleted after the job started.
  const [{ id }] = await subgraph.db.query(
    `INSERT INTO bulk_job (workspace_id, created_by, filter, action, total)
     VALUES ($1, 'admin-1', '{"custom": [{"key": "score", "gt": 1}]}', '{"addTags": ["x"], "removeTags": []}', 1)
     RETURNING id`,
    [admin.workspaceId],
  );
  const failed = await until(
    () => job(id),
    (j) => j.status !== 'QUEUED',
  );
  expect(failed).toMatchObject({ status: 'FAILED', processed: 0 });
  const error = await subgraph.query(admin, `{ bulkJob(id: "${id}") { error } }`);
  expect((error.data!.bulkJob as { error: string }).error).toContain('score');
});

it('gives up a job whose batches keep failing, so it cannot hold the queue', async () => {
  // An action no batch can apply (stored by hand: the API would refuse it).
  const [{ id }] = await subgraph.db.query(
    `INSERT INTO bulk_job (workspace_id, created_by, filter, action, total)
     VALUES ($1, 'admin-1', '{}', '{"addTags": "not-a-list", "removeTags": []}', 1)
     RETURNING id`,
    [admin.workspaceId],
  );
  const given = await until(
    () => job(id),
    (j) => j.status !== 'QUEUED',
  );
  expect(given).toMatchObject({ status: 'FAILED', processed: 0 });
  // What the client reads names no SQL or internal detail of the failure.
  const read = await subgraph.query(admin, `{ bulkJob(id: "${id}") { error } }`);
  expect((read.data!.bulkJob as { error: string }).error).toBe(JOB_FAILED_MESSAGE);
});
