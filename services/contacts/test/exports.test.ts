// Exports of many customers (exports/): a filter with custom fields and the order and
// loyalty figures, a saved list, a split group; CSV cells that could run as formulas
// escaped, JSON Lines typed, Vietnamese intact; the columns checked; only admins,
// editors and analysts; a job only in its workspace.
import { randomUUID } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { readCsv } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { readFileChunks } from '../src/files/file.store';

const ws = `exports-${randomUUID().slice(0, 8)}`;
const admin: Identity = { workspaceId: ws, userId: 'admin-1', role: 'admin' };
const analyst: Identity = { workspaceId: ws, userId: 'an-1', role: 'analyst' };
const staff: Identity = { workspaceId: ws, userId: 'staff-1', role: 'staff' };
const stranger: Identity = { workspaceId: `${ws}-other`, userId: 'admin-1', role: 'admin' };

let subgraph: TestSubgraph;

interface Job {
  id: string;
  status: string;
  total: number | null;
  processed: number;
  error: string | null;
  file: { id: string; name: string; contentType: string; url: string; byteSize: number } | null;
}

const JOB = 'id status total processed error file { id name contentType url byteSize }';

async function ok<T>(identity: Identity, query: string, variables?: object): Promise<T> {
  const body = await subgraph.query(identity, query, variables);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data as T;
}

async function exportJob(identity: Identity, input: object): Promise<Job> {
  const { exportCustomers } = await ok<{ exportCustomers: Job }>(
    identity,
    `mutation($input: CustomerExportInput!) { exportCustomers(input: $input) { ${JOB} } }`,
    { input },
  );
  for (;;) {
    const { exportJob: job } = await ok<{ exportJob: Job }>(
      identity,
      `query($id: ID!) { exportJob(id: $id) { ${JOB} } }`,
      { id: exportCustomers.id },
    );
    if (job.status === 'DONE' || job.status === 'FAILED') return job;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function content(job: Job): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of readFileChunks(subgraph.db, ws, job.file!.id)) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const csvRows = (text: string) => [...readCsv(text)].map((r) => r.cells);

let vipId: string;

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
  await subgraph.db.query(`INSERT INTO workspace (id, plan) VALUES ($1, 'PREMIUM')`, [ws]);
  for (const field of [
    { key: 'size', label: 'Cỡ', type: 'TEXT' },
    { key: 'score', label: 'Điểm', type: 'NUMBER' },
    { key: 'colors', label: 'Màu', type: 'MULTI_SELECT', options: ['đỏ', 'xanh'] },
  ]) {
    await ok(admin, 'mutation($f: CustomFieldInput!) { createCustomField(input: $f) { key } }', {
      f: field,
    });
  }
  const created = await ok<{ createCustomer: { id: string } }>(
    admin,
    `mutation($input: CustomerInput!) { createCustomer(input: $input) { id } }`,
    {
      input: {
        name: 'Nguyễn Thị Ánh',
        phone: '0901 234 567',
        otherPhones: ['0912345678'],
        email: 'anh@example.vn',
        city: 'Hà Nội',
        tags: ['vip', 'quà, "tết"'],
        externalIds: [{ source: 'SHOP', id: 'S-1' }],
        custom: { size: 'M', score: 7.5, colors: ['đỏ', 'xanh'] },
      },
    },
  );
  vipId = created.createCustomer.id;
  // The order and loyalty figures as orders-loyalty's events would have set them.
  await subgraph.db.query(
    `UPDATE customer SET order_count = 3, total_spent = 1500000,
        first_order_at = '2025-01-02T03:04:05Z', last_order_at = '2025-06-07T08:09:10Z',
        loyalty_tier_rank = 3, loyalty_tier_name = 'Vàng'
      WHERE workspace_id = $1 AND id = $2`,
    [ws, vipId],
  );
  // Cells a spreadsheet would run as formulas (written by SQL: the API trims spaces).
  await subgraph.db.query(
    `INSERT INTO customer (workspace_id, name, tags, created_at)
     SELECT $1, n, '{formula}', timestamptz '2024-01-01' + i * interval '1 second'
       FROM unnest($2::text[]) WITH ORDINALITY AS t(n, i)`,
    [ws, ['=HYPERLINK("http://x")', '+84 sum', '-2+3', '@SUM(A1)', '\tTab', '\rCR', 'Bình thường']],
  );
  // Thirty customers to split, one second apart.
  await subgraph.db.query(
    `INSERT INTO customer (workspace_id, name, tags, created_at)
     SELECT $1, 'Split ' || i, '{split}', timestamptz '2024-02-01' + i * interval '1 second'
       FROM generate_series(1, 30) AS i`,
    [ws],
  );
}, 60_000);

afterAll(() => subgraph?.stop());

it('exports a filter to CSV with custom fields and the order and loyalty figures', async () => {
  const job = await exportJob(admin, {
    target: { filter: { tags: { containsAny: ['vip'] } } },
    columns: [
      'ID',
      'NAME',
      'PHONE',
      'PHONES',
      'TAGS',
      'EXTERNAL_IDS',
      'ORDER_COUNT',
      'TOTAL_SPENT',
      'FIRST_ORDER_AT',
      'LAST_ORDER_AT',
      'LOYALTY_TIER',
    ],
    customFields: ['size', 'score', 'colors'],
  });
  expect(job).toMatchObject({ status: 'DONE', total: 1, processed: 1, error: null });
  expect(job.file).toMatchObject({
    contentType: 'text/csv; charset=utf-8',
    url: `/files/${job.file!.id}`,
  });
  const text = await content(job);
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  expect(csvRows(text)).toEqual([
    [
      'id',
      'name',
      'phone',
      'phones',
      'tags',
      'externalIds',
      'orderCount',
      'totalSpent',
      'firstOrderAt',
      'lastOrderAt',
      'loyaltyTier',
      'custom.size',
      'custom.score',
      'custom.colors',
    ],
    [
      vipId,
      'Nguyễn Thị Ánh',
      '0901 234 567',
      '0901 234 567; 0912345678',
      'vip; quà, "tết"',
      'SHOP:S-1',
      '3',
      '1500000',
      '2025-01-02T03:04:05.000Z',
      '2025-06-07T08:09:10.000Z',
      'Vàng',
      'M',
      '7.5',
      'đỏ; xanh',
    ],
  ]);
  expect(Buffer.byteLength(text)).toBe(job.file!.byteSize);
});

it('writes JSON Lines with typed values (numbers, arrays, null), for analysts too', async () => {
  const job = await exportJob(analyst, {
    target: { filter: { tags: { containsAny: ['vip', 'formula'] } } },
    format: 'JSONL',
    columns: ['NAME', 'PHONES', 'TAGS', 'EXTERNAL_IDS', 'ORDER_COUNT', 'TOTAL_SPENT', 'BIRTHDAY'],
    customFields: ['score', 'colors'],
  });
  expect(job.status).toBe('DONE');
  expect(job.file!.contentType).toBe('application/jsonl; charset=utf-8');
  const lines = (await content(job)).split('\n');
  expect(lines.pop()).toBe('');
  expect(lines).toHaveLength(8);
  const objects = lines.map((l) => JSON.parse(l));
  expect(objects.find((o) => o.name === 'Nguyễn Thị Ánh')).toEqual({
    name: 'Nguyễn Thị Ánh',
    phones: ['0901 234 567', '0912345678'],
    tags: ['vip', 'quà, "tết"'],
    externalIds: [{ source: 'SHOP', id: 'S-1' }],
    orderCount: 3,
    totalSpent: 1500000,
    birthday: null,
    custom: { score: 7.5, colors: ['đỏ', 'xanh'] },
  });
  // Not escaped for spreadsheets: JSON is data.
  expect(objects.map((o) => o.name)).toContain('=HYPERLINK("http://x")');
  // Who read customers in bulk is in the audit trail, with kinds and counts only.
  const [entry] = await subgraph.db.query(
    `SELECT actor_user_id, actor_role, detail FROM audit_entry
      WHERE workspace_id = $1 AND action = 'CUSTOMERS_EXPORTED' AND target_ids = ARRAY[$2]`,
    [ws, job.id],
  );
  expect(entry).toEqual({
    actor_user_id: analyst.userId,
    actor_role: 'analyst',
    detail: { format: 'JSONL', target: 'FILTER', columns: 9 },
  });
});

it('exports a saved list, escaping every cell that could start a formula', async () => {
  const { createCustomerList: list } = await ok<{ createCustomerList: { id: string } }>(
    admin,
    'mutation { createCustomerList(name: "Công thức", filter: { tags: { containsAny: ["formula"] } }) { id } }',
  );
  const job = await exportJob(admin, { target: { listId: list.id }, columns: ['NAME'] });
  expect(job).toMatchObject({ status: 'DONE', total: 7, processed: 7 });
  const text = await content(job);
  expect(csvRows(text).map((r) => r[0])).toEqual([
    'name',
    `'=HYPERLINK("http://x")`,
    `'+84 sum`,
    `'-2+3`,
    `'@SUM(A1)`,
    `'\tTab`,
    `'\rCR`,
    'Bình thường',
  ]);
  // RFC 4180: the quote doubled inside a quoted cell, the carriage return kept quoted.
  expect(text).toContain(`\r\n"'=HYPERLINK(""http://x"")"\r\n`);
  expect(text).toContain(`\r\n"'\rCR"\r\n`);
});

it('exports one group of a split list: the customers splitList puts in it', async () => {
  const { createCustomerList: list } = await ok<{ createCustomerList: { id: string } }>(
    admin,
    'mutation { createCustomerList(name: "Chia", filter: { tags: { containsAny: ["split"] } }) { id } }',
  );
  const job = await exportJob(editorOf(admin), {
    target: { listId: list.id, split: { parts: 3, part: 2 } },
    columns: ['NAME'],
  });
  expect(job).toMatchObject({ status: 'DONE', total: 10, processed: 10 });
  const names = csvRows(await content(job))
    .slice(1)
    .map((r) => r[0]);
  expect(names).toEqual(Array.from({ length: 10 }, (_, i) => `Split ${i + 11}`));
});

function editorOf(identity: Identity): Identity {
  return { ...identity, userId: 'editor-1', role: 'editor' };
}

it('uses the default columns when none are chosen', async () => {
  const job = await exportJob(admin, { target: { filter: { tags: { containsAny: ['vip'] } } } });
  const [header, row] = csvRows(await content(job));
  expect(header).toEqual([
    'id',
    'name',
    'phone',
    'email',
    'address',
    'city',
    'birthday',
    'gender',
    'tags',
    'group',
    'type',
    'assignedStaff',
    'createdAt',
  ]);
  expect(row.slice(0, 4)).toEqual([vipId, 'Nguyễn Thị Ánh', '0901 234 567', 'anh@example.vn']);
});

it('refuses bad columns and targets as BAD_USER_INPUT naming the field, starting nothing', async () => {
  const refused = async (input: object) => {
    const body = await subgraph.query(
      admin,
      'mutation($input: CustomerExportInput!) { exportCustomers(input: $input) { id } }',
      { input },
    );
    return body.errors?.[0];
  };
  const all = { filter: {} };
  expect(await refused({ target: all, customFields: ['size', 'nope'] })).toMatchObject({
    message: expect.stringContaining('"nope"'),
    extensions: { code: 'BAD_USER_INPUT', field: 'input.customFields[1]' },
  });
  expect((await refused({ target: all, columns: ['NAME', 'NAME'] }))?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'input.columns[1]',
  });
  expect((await refused({ target: all, columns: [] }))?.extensions?.field).toBe('input.columns');
  expect((await refused({ target: {} }))?.extensions?.field).toBe('input.target');
  expect(
    (await refused({ target: { filter: {}, split: { parts: 2, part: 1 } } }))?.extensions?.field,
  ).toBe('input.target.split');
  expect(
    (await refused({ target: { filter: { custom: [{ key: 'nope', eq: 'x' }] } } }))?.extensions
      ?.code,
  ).toBe('BAD_USER_INPUT');
  expect((await refused({ target: { listId: randomUUID() } }))?.extensions).toMatchObject({
    code: 'NOT_FOUND',
    field: 'input.target.listId',
  });
  const [{ n }] = await subgraph.db.query(
    `SELECT count(*)::int AS n FROM export_job WHERE workspace_id = $1 AND target = '{"filter": {}}'`,
    [ws],
  );
  expect(n).toBe(0);
});

it('lets only admins, editors and analysts export, and shows a job only in its workspace', async () => {
  const body = await subgraph.query(
    staff,
    'mutation { exportCustomers(input: { target: { filter: {} } }) { id } }',
  );
  expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const job = await exportJob(admin, { target: { filter: {} }, columns: ['ID'] });
  expect(job.processed).toBe(38);
  const read = await subgraph.query(staff, `{ exportJob(id: "${job.id}") { id } }`);
  expect(read.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const theirs = await ok<{ exportJob: Job | null }>(
    stranger,
    `{ exportJob(id: "${job.id}") { id } }`,
  );
  expect(theirs.exportJob).toBeNull();
  const listed = await ok<{ exportJobs: { edges: { node: { id: string } }[] } }>(
    stranger,
    '{ exportJobs { edges { node { id } } } }',
  );
  expect(listed.exportJobs.edges).toEqual([]);
  // The file is only readable in its workspace.
  const chunks = [];
  for await (const chunk of readFileChunks(subgraph.db, stranger.workspaceId, job.file!.id)) {
    chunks.push(chunk);
  }
  expect(chunks).toEqual([]);
});

it('lists the workspace jobs newest first, a page at a time', async () => {
  const first = await ok<{
    exportJobs: { edges: { node: Job }[]; pageInfo: { endCursor: string } };
  }>(admin, `{ exportJobs(first: 2) { edges { node { ${JOB} } } pageInfo { endCursor } } }`);
  expect(first.exportJobs.edges).toHaveLength(2);
  const next = await ok<{ exportJobs: { edges: { node: Job }[] } }>(
    admin,
    `query($after: String) { exportJobs(first: 100, after: $after) { edges { node { id } } } }`,
    { after: first.exportJobs.pageInfo.endCursor },
  );
  const ids = [...first.exportJobs.edges, ...next.exportJobs.edges].map((e) => e.node.id);
  expect(new Set(ids).size).toBe(ids.length);
  const [{ n }] = await subgraph.db.query(
    'SELECT count(*)::int AS n FROM export_job WHERE workspace_id = $1',
    [ws],
  );
  expect(ids).toHaveLength(n);
  expect(n).toBe(6);
  // uuidv7 ids grow with time: newest first is descending.
  expect([...ids].sort().reverse()).toEqual(ids);
});
