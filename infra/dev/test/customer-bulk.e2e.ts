// Bulk actions, background jobs, groups from a phone list and per-user views through
// the gateway (issue 5), each refusal with its code and nothing written.
import { randomBytes } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestStack } from './stack';
import { eventually } from './webhooks';
import type { TestStack } from './stack';

const ws = `blk-${randomBytes(3).toString('hex')}`;
const admin: Identity = { workspaceId: ws, userId: 'admin-1', role: 'admin' };

let stack: TestStack;
let token: string;
let otherToken: string;
const ids: string[] = [];

async function gql(query: string, variables?: object, as = token) {
  return (await stack.query(as, query, variables)).body;
}

async function create(input: object, as = token): Promise<string> {
  const { data, errors } = await gql(
    'mutation($i: CustomerInput!) { createCustomer(input: $i) { id } }',
    { i: input },
    as,
  );
  if (errors) throw new Error(JSON.stringify(errors));
  return (data!.createCustomer as { id: string }).id;
}

async function tagsOf(id: string): Promise<string[]> {
  const [row] = await stack
    .db('contacts')
    .query('SELECT tags FROM customer WHERE workspace_id = $1 AND id = $2', [ws, id]);
  return row.tags;
}

const UPDATE_MANY = `mutation($ids: [ID!]!, $a: CustomerBulkAction!) {
  updateCustomers(ids: $ids, action: $a) { updated notFound } }`;
const JOB = 'id status processed total failed action error';

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.token(admin);
  otherToken = await stack.token({ ...admin, workspaceId: `${ws}-other` });
  for (let i = 0; i < 30; i++) {
    ids.push(await create({ name: `Khách ${i}`, phone: `0912 000 ${String(i).padStart(3, '0')}` }));
  }
}, 60_000);

afterAll(() => stack?.stop());

describe('bulk actions on ids', () => {
  it('tag, untag, assign and group up to 100 customers at once', async () => {
    const theirs = await create({ name: 'Not yours' }, otherToken);
    const tagged = await gql(UPDATE_MANY, {
      ids: [ids[0], ids[1], theirs],
      a: { addTags: ['sale', 'tet'], assignStaff: 'staff-9', setGroup: 'PRIORITY' },
    });
    expect(tagged.data).toEqual({ updateCustomers: { updated: 2, notFound: [theirs] } });
    expect(await tagsOf(ids[0])).toEqual(['sale', 'tet']);
    const untagged = await gql(UPDATE_MANY, {
      ids: [ids[0]],
      a: { removeTags: ['sale'], clearGroup: true },
    });
    expect(untagged.data).toEqual({ updateCustomers: { updated: 1, notFound: [] } });
    expect(await tagsOf(ids[0])).toEqual(['tet']);
    const [row] = await stack
      .db('contacts')
      .query('SELECT assigned_staff, customer_group FROM customer WHERE id = $1', [ids[1]]);
    expect(row).toEqual({ assigned_staff: 'staff-9', customer_group: 'PRIORITY' });
    const [mine] = await stack
      .db('contacts')
      .query('SELECT tags FROM customer WHERE id = $1', [theirs]);
    expect(mine.tags).toEqual([]);
  });

  it('leaves alone, and names, a customer the change would take past 50 tags', async () => {
    const full = await create({
      name: 'Nhiều tag',
      tags: Array.from({ length: 49 }, (_, i) => `t${i}`),
    });
    const { data } = await gql(
      `mutation($ids: [ID!]!, $a: CustomerBulkAction!) {
         updateCustomers(ids: $ids, action: $a) { updated notFound skipped } }`,
      { ids: [full, ids[5]], a: { addTags: ['x1', 'x2'] } },
    );
    expect(data).toEqual({ updateCustomers: { updated: 1, notFound: [], skipped: [full] } });
    expect(await tagsOf(full)).toHaveLength(49);
    await gql(UPDATE_MANY, { ids: [ids[5]], a: { removeTags: ['x1', 'x2'] } });
  });

  it('refuses 101 ids, or an action that changes nothing, writing nothing', async () => {
    const many = Array.from({ length: 101 }, (_, i) => ids[i % ids.length]);
    const tooMany = await gql(UPDATE_MANY, { ids: many, a: { addTags: ['x'] } });
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
    const nothing = await gql(UPDATE_MANY, { ids: [ids[2]], a: {} });
    expect(nothing.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'action',
    });
    const both = await gql(UPDATE_MANY, {
      ids: [ids[2]],
      a: { addTags: ['a'], removeTags: ['a'] },
    });
    expect(both.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'action.removeTags',
    });
    const [{ n }] = await stack
      .db('contacts')
      .query(
        `SELECT count(*)::int AS n FROM customer WHERE workspace_id = $1 AND 'x' = ANY(tags)`,
        [ws],
      );
    expect(n).toBe(0);
  });
});

describe('bulk jobs over a filter', () => {
  it('run in the background with progress, only in the workspace', async () => {
    // A customer of another workspace that the same filter would match there.
    const lookalike = await create({ name: 'Khách lạ' }, otherToken);
    const started = await gql(
      `mutation($f: CustomerFilter!, $a: CustomerBulkAction!) { startBulkJob(filter: $f, action: $a) { ${JOB} } }`,
      { f: { name: { startsWith: 'khach' } }, a: { addTags: ['bulk'] } },
    );
    expect(started.errors).toBeUndefined();
    const job = started.data!.startBulkJob as { id: string; total: number; status: string };
    expect(job).toMatchObject({ total: 30, status: 'QUEUED' });
    const done = await eventually(
      async () => (await gql(`{ bulkJob(id: "${job.id}") { ${JOB} } }`)).data!.bulkJob,
      (j) => (j as { status: string }).status === 'DONE',
    );
    expect(done).toMatchObject({ processed: 30, total: 30, failed: 0, error: null });
    const [{ n }] = await stack
      .db('contacts')
      .query(
        `SELECT count(*)::int AS n FROM customer WHERE workspace_id = $1 AND 'bulk' = ANY(tags)`,
        [ws],
      );
    expect(n).toBe(30);
    const [theirs] = await stack
      .db('contacts')
      .query('SELECT tags FROM customer WHERE id = $1', [lookalike]);
    expect(theirs.tags).toEqual([]);
    const elsewhere = await gql(`{ bulkJob(id: "${job.id}") { id } }`, undefined, otherToken);
    expect(elsewhere.data).toEqual({ bulkJob: null });
  });

  it('refuses a bad filter before any job exists', async () => {
    const bad = await gql(
      'mutation { startBulkJob(filter: { or: [] }, action: { addTags: ["x"] }) { id } }',
    );
    expect(bad.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.or',
    });
    const [{ n }] = await stack
      .db('contacts')
      .query('SELECT count(*)::int AS n FROM bulk_job WHERE workspace_id = $1', [ws]);
    expect(n).toBe(1);
  });

  it('delete a filter’s customers, announcing each', async () => {
    for (let i = 0; i < 3; i++) await create({ name: `Tạm ${i}` });
    const { data } = await gql(
      `mutation { deleteCustomers(filter: { name: { startsWith: "tam" } }) { deleted job { ${JOB} } } }`,
    );
    const job = (data!.deleteCustomers as { job: { id: string; total: number } }).job;
    expect(job.total).toBe(3);
    await eventually(
      async () => (await gql(`{ bulkJob(id: "${job.id}") { status processed } }`)).data!.bulkJob,
      (j) => (j as { status: string }).status === 'DONE',
    );
    const left = await gql('{ customers(filter: { name: { startsWith: "tam" } }) { totalCount } }');
    expect(left.data).toEqual({ customers: { totalCount: 0 } });
    const [{ n }] = await stack
      .db('contacts')
      .query(
        `SELECT count(*)::int AS n FROM outbox WHERE workspace_id = $1 AND topic = 'contacts.customer.deleted'`,
        [ws],
      );
    expect(n).toBe(3);
  });
});

const MARK = `mutation($g: CustomerGroup!, $p: [String!], $c: String) {
  markCustomersByPhones(group: $g, phones: $p, csv: $c) {
    received matched unmatched invalid duplicates invalidRows { row value reason } } }`;

describe('groups from a phone list', () => {
  it('marks the customers having the numbers, whatever their written form', async () => {
    const { data, errors } = await gql(MARK, {
      g: 'RESTRICTED',
      p: ['+84912000003', '0912.000.004', '84912000004', '0999 999 999', 'abc', ''],
    });
    expect(errors).toBeUndefined();
    expect(data!.markCustomersByPhones).toEqual({
      received: 5,
      matched: 2,
      unmatched: 1,
      invalid: 1,
      duplicates: 1,
      invalidRows: [{ row: 5, value: 'abc', reason: 'not a valid phone number' }],
    });
    const [{ n }] = await stack
      .db('contacts')
      .query(
        `SELECT count(*)::int AS n FROM customer WHERE workspace_id = $1 AND customer_group = 'RESTRICTED'`,
        [ws],
      );
    expect(n).toBe(2);
  });

  it('reads a CSV with a Vietnamese header', async () => {
    const csv = 'Tên,Số điện thoại\r\nAn,0912 000 005\r\nBình,"0912,000"\r\n';
    const { data } = await gql(MARK, { g: 'PRIORITY', c: csv });
    expect(data!.markCustomersByPhones).toMatchObject({ received: 2, matched: 1, invalid: 1 });
  });

  it('refuses more than 100,000 numbers, writing nothing', async () => {
    const phones = Array.from({ length: 100_001 }, (_, i) => `0912${String(i).padStart(6, '0')}`);
    const { errors } = await gql(MARK, { g: 'PRIORITY', p: phones });
    expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'phones' });
  });
});

describe('per-user views', () => {
  const SAVE = `mutation($i: UserViewInput!) { saveMyView(input: $i) {
    listColumns savedFilter applySavedFilter detailTabs } }`;

  it('are kept per user and read back at the next sign-in', async () => {
    const saved = await gql(SAVE, {
      i: {
        listColumns: ['name', 'phone', 'tags'],
        savedFilter: { tags: { containsAny: ['vip'] } },
        applySavedFilter: true,
        detailTabs: ['ORDERS', 'INFO'],
      },
    });
    expect(saved.errors).toBeUndefined();
    const again = await gql('{ myView { listColumns savedFilter applySavedFilter detailTabs } }');
    expect(again.data).toEqual({
      myView: {
        listColumns: ['name', 'phone', 'tags'],
        savedFilter: { tags: { containsAny: ['vip'] } },
        applySavedFilter: true,
        detailTabs: ['ORDERS', 'INFO'],
      },
    });
    const colleague = await stack.token({ ...admin, userId: 'admin-2' });
    const theirs = await gql('{ myView { listColumns applySavedFilter } }', undefined, colleague);
    expect(theirs.data!.myView).toMatchObject({ applySavedFilter: false });
    expect((theirs.data!.myView as { listColumns: string[] }).listColumns).not.toEqual([
      'name',
      'phone',
      'tags',
    ]);
  });

  it('refuses an unknown column and a bad saved filter, saving nothing', async () => {
    const column = await gql(SAVE, { i: { listColumns: ['name', 'shoe'] } });
    expect(column.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.listColumns[1]',
    });
    const filter = await gql(SAVE, { i: { savedFilter: { or: [] } } });
    expect(filter.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.savedFilter.or',
    });
    const kept = await gql('{ myView { listColumns } }');
    expect(kept.data).toEqual({ myView: { listColumns: ['name', 'phone', 'tags'] } });
  });
});
