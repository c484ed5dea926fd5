// Issue 9: one workspace's heavy requests must not starve another's. Through the
// gateway: a filter over its size budget is refused before any value is read, a phone
// list over 100,000 before it is split, aliases of a heavy field queue per workspace
// (the rest are TOO_MANY_REQUESTS), and bulk jobs take turns between workspaces.
import { randomBytes } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { HEAVY_CONCURRENCY, HEAVY_QUEUE } from '@customer-graph/contacts';
import { startTestStack } from './stack';
import type { TestStack } from './stack';

const ws = `bud-${randomBytes(3).toString('hex')}`;
const admin: Identity = { workspaceId: ws, userId: 'admin-1', role: 'admin' };
const other: Identity = { ...admin, workspaceId: `${ws}-b` };

let stack: TestStack;
let token: string;

async function gql(query: string, variables?: object, as = token) {
  return (await stack.query(as, query, variables)).body;
}

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.token(admin);
});

afterAll(async () => {
  await stack?.stop();
});

describe('the filter budget', () => {
  it('refuses 1,200 values in four lists, naming the list, before reading any', async () => {
    // Not phone numbers at all: had a value been read, the refusal would name it.
    const filter = { or: [0, 1, 2, 3].map(() => ({ phone: { in: Array(300).fill('x') } })) };
    const { data, errors } = await gql(
      'query($f: CustomerFilter) { customers(filter: $f) { totalCount } }',
      { f: filter },
    );
    expect(data?.customers ?? null).toBeNull();
    expect(errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.or[3].phone.in',
      limit: 1000,
      actual: 1200,
    });
  });

  it('refuses a string over 2,000 characters, naming it', async () => {
    const { errors } = await gql(
      'query($f: CustomerFilter) { customers(filter: $f) { totalCount } }',
      {
        f: { name: { contains: 'a'.repeat(2001) } },
      },
    );
    expect(errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.name.contains',
      limit: 2000,
      actual: 2001,
    });
  });
});

describe('phone lists', () => {
  it('refuses CSV of 100,001 rows before splitting it, and marks nobody', async () => {
    const csv = ['phone', ...Array(100_001).fill('x')].join('\n');
    const { data, errors } = await gql(
      'mutation($csv: String) { markCustomersByPhones(group: PRIORITY, csv: $csv) { received invalid } }',
      { csv },
    );
    expect(data?.markCustomersByPhones ?? null).toBeNull();
    expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'csv' });
    expect(errors?.[0].message).toBe(
      '100001 phone numbers is more than the 100000 allowed at once',
    );
  });

  it('marks from a list within the cap, parsed before its transaction', async () => {
    const made = await gql(
      'mutation { createCustomer(input: { name: "Lan", phone: "0912 000 111" }) { id } }',
    );
    expect(made.errors).toBeUndefined();
    const { data, errors } = await gql(
      `mutation { markCustomersByPhones(group: PRIORITY, phones: ["0912000111", "+84 912 000 111", "0912000111", "x"]) {
         received matched duplicates invalid } }`,
    );
    expect(errors).toBeUndefined();
    expect(data?.markCustomersByPhones).toEqual({
      received: 4,
      matched: 1,
      duplicates: 2,
      invalid: 1,
    });
  });
});

describe('heavy work per workspace', () => {
  it('runs its share of aliases of a filtered list at once, queues 20 and refuses the next', async () => {
    // The share is half the machine's cores (at least one): HEAVY_CONCURRENCY.
    const accepted = HEAVY_CONCURRENCY + HEAVY_QUEUE;
    const aliases = Array.from(
      { length: accepted + 1 },
      (_, i) =>
        `a${i}: customers(first: 1, filter: { name: { contains: "lan" } }) { edges { node { id } } }`,
    );
    const { errors } = await gql(`{ ${aliases.join(' ')} }`);
    // `customers` is non-null, so the refused alias nulls the whole answer; the error
    // names it: the one past those running and the 20 waiting.
    expect(errors?.map((e) => e.path?.[0])).toEqual([`a${accepted}`]);
    for (const error of errors!) {
      expect(error.extensions).toMatchObject({
        code: 'TOO_MANY_REQUESTS',
        limit: accepted,
        retryAfterMs: 1000,
      });
    }
    // Another workspace is not held back by this one's queue.
    const theirs = await gql(
      '{ customers(first: 1) { totalCount } }',
      undefined,
      await stack.token(other),
    );
    expect(theirs.errors).toBeUndefined();
  });
});

describe('bulk jobs', () => {
  it("finish B's single job while A's earlier jobs are still queued", async () => {
    const db = stack.db('contacts');
    const a = `${ws}-jobs-a`;
    const b = `${ws}-jobs-b`;
    await db.query('INSERT INTO workspace (id) VALUES ($1), ($2) ON CONFLICT DO NOTHING', [a, b]);
    // 1,200 customers: each of A's jobs takes three batches.
    await db.query(
      `INSERT INTO customer (workspace_id, name, name_search, created_at, updated_at)
       SELECT $1, 'Khách ' || i, 'khach ' || i, timestamptz '2025-01-01' + i * interval '1 second', now()
         FROM generate_series(1, 1200) AS i`,
      [a],
    );
    // All seven queued at once (A's first, an hour earlier), so the worker sees them together.
    const jobs: { id: string; workspace_id: string }[] = await db.query(
      `INSERT INTO bulk_job (workspace_id, created_by, filter, action, total, created_at)
       SELECT w, 'admin-1', '{}'::jsonb, '{"addTags": ["fair"], "removeTags": []}'::jsonb,
              CASE WHEN w = $1 THEN 1200 ELSE 0 END,
              now() - CASE WHEN w = $1 THEN interval '1 hour' - i * interval '1 second' ELSE interval '0' END
         FROM (SELECT $1 AS w, i FROM generate_series(1, 6) AS i UNION ALL SELECT $2, 0) AS j
       RETURNING id, workspace_id`,
      [a, b],
    );
    const bJob = jobs.find((j) => j.workspace_id === b)!.id;
    const bToken = await stack.token({ ...admin, workspaceId: b });
    for (;;) {
      const { data } = await gql(`{ bulkJob(id: "${bJob}") { status } }`, undefined, bToken);
      if ((data?.bulkJob as { status: string } | null)?.status === 'DONE') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    for (;;) {
      const [{ left }] = await db.query(
        `SELECT count(*)::int AS left FROM bulk_job WHERE workspace_id = $1 AND status <> 'DONE'`,
        [a],
      );
      if (left === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // Oldest first, A's six would all have finished before B's; in turns, none did.
    const [{ before }] = await db.query(
      `SELECT count(*)::int AS before FROM bulk_job a, bulk_job b
        WHERE a.workspace_id = $1 AND b.id = $2 AND a.finished_at < b.finished_at`,
      [a, bJob],
    );
    expect(before).toBe(0);
    const [{ tagged }] = await db.query(
      `SELECT count(*)::int AS tagged FROM customer WHERE workspace_id = $1 AND 'fair' = ANY(tags)`,
      [a],
    );
    expect(tagged).toBe(1200);
  });
});
