// Customer import (issue 15): Vietnamese headers, matching by phone (any form), then
// email, then external id, empty cells keeping values, re-import creating nothing,
// bad rows named by line and column while the rest go in, a dry run writing nothing,
// XLSX, caps and access.
import ExcelJS from 'exceljs';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { openFileWriter, readFileChunks } from '../src/files/file.store';

const ws = 'import-ws';
const admin: Identity = { workspaceId: ws, userId: 'boss', role: 'admin' };
const editor: Identity = { workspaceId: ws, userId: 'ed', role: 'editor' };
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
  await subgraph.db.query(`INSERT INTO workspace (id, plan) VALUES ($1, 'PREMIUM')`, [ws]);
  await gql(
    admin,
    `mutation { createCustomField(input: { key: "size", label: "Cỡ áo", type: SELECT, options: ["S", "M", "L"] }) { key } }`,
  );
});
afterAll(() => subgraph?.stop());

async function gql(identity: Identity, query: string, variables?: object) {
  const body = await subgraph.query(identity, query, variables);
  expect(body.errors).toBeUndefined();
  return body.data!;
}

const JOB = `id status dryRun format rowsTotal processed created updated unchanged failed
  columns { header field customFieldKey } ignoredColumns
  errors(first: 100) { edges { node { line column field message } } }
  errorFile { id url }`;

interface Job {
  id: string;
  status: string;
  rowsTotal: number;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  columns: { header: string; field: string; customFieldKey: string | null }[];
  ignoredColumns: string[];
  errors: {
    edges: {
      node: { line: number; column: string | null; field: string | null; message: string };
    }[];
  };
  errorFile: { id: string; url: string } | null;
}

/** Starts an import and waits until it is done. */
async function runImport(input: object, identity = admin): Promise<Job> {
  const { startCustomerImport } = await gql(
    identity,
    `mutation ($input: CustomerImportInput!) { startCustomerImport(input: $input) { id status } }`,
    { input },
  );
  expect(startCustomerImport.status).toBe('QUEUED');
  for (;;) {
    const { importJob } = await gql(
      identity,
      `{ importJob(id: "${startCustomerImport.id}") { ${JOB} } }`,
    );
    if (importJob.status === 'DONE' || importJob.status === 'FAILED') return importJob;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function customerByPhone(phone: string) {
  const { customerByPhone } = await gql(
    admin,
    `query ($phone: String!) { customerByPhone(phone: $phone) {
       id name email address city birthday gender tags type custom { key value } phones { number e164 }
       externalIds { source id } } }`,
    { phone },
  );
  return customerByPhone;
}

const count = async (sql: string, params: unknown[] = [ws]) =>
  Number((await subgraph.db.query(sql, params))[0].n);

it('reads Vietnamese headers and creates customers as createCustomer would', async () => {
  const csv = [
    'Họ tên;Số điện thoại;Email;Địa chỉ;Ngày sinh;Giới tính;Nhãn;Mã khách hàng;Cỡ áo;Ghi chú',
    'Nguyễn Văn An;0912 345 001;an@shop.vn;12 Lý Thường Kiệt;05/03/1990;Nam;vip, sỉ;KH-001;m;gọi sau',
  ].join('\r\n');
  const job = await runImport({ csv });
  expect(job).toMatchObject({ status: 'DONE', rowsTotal: 1, created: 1, updated: 0, failed: 0 });
  expect(job.ignoredColumns).toEqual(['Ghi chú']);
  expect(job.columns.map((c) => c.field)).toEqual([
    'NAME',
    'PHONE',
    'EMAIL',
    'ADDRESS',
    'BIRTHDAY',
    'GENDER',
    'TAGS',
    'EXTERNAL_ID',
    'CUSTOM',
  ]);
  const customer = await customerByPhone('0912345001');
  expect(customer).toMatchObject({
    name: 'Nguyễn Văn An',
    email: 'an@shop.vn',
    address: '12 Lý Thường Kiệt',
    birthday: '1990-03-05',
    gender: 'MALE',
    tags: ['vip', 'sỉ'],
    // Derived as for any customer: a SHOP id makes a CUSTOMER.
    type: 'CUSTOMER',
    custom: [{ key: 'size', value: 'M' }],
    phones: [{ number: '0912 345 001', e164: '+84912345001' }],
    externalIds: [{ source: 'SHOP', id: 'KH-001' }],
  });
  // Announced through the outbox, as a created customer's phone is.
  const events = await subgraph.db.query(
    `SELECT value->'payload' AS payload FROM outbox
      WHERE topic = 'contacts.customer.phones-changed' AND key = $1`,
    [customer.id],
  );
  expect(events.map((e: { payload: unknown }) => e.payload)).toEqual([
    { customerId: customer.id, phones: ['+84912345001'] },
  ]);
  // Found by its folded name, as the list searches.
  const [{ name_search }] = await subgraph.db.query(
    'SELECT name_search FROM customer WHERE id = $1',
    [customer.id],
  );
  expect(name_search).toBe('nguyen van an');
  // Who imported is in the audit trail; what was imported is not.
  const audit = await subgraph.db.query(
    `SELECT actor_user_id, target_type, target_ids, detail, detail::text AS text
       FROM audit_entry WHERE workspace_id = $1 AND action = 'CUSTOMERS_IMPORTED'`,
    [ws],
  );
  const entry = audit.find((a: { target_ids: string[] }) => a.target_ids[0] === job.id);
  expect(entry).toMatchObject({
    actor_user_id: admin.userId,
    target_type: 'ImportJob',
    detail: { format: 'CSV', rows: 1, dryRun: false },
  });
  expect(entry.text).not.toMatch(/Nguyễn|0912|an@shop/);
});

it('matches any written form of a phone, and an empty cell keeps the value', async () => {
  const { createCustomer } = await gql(
    admin,
    `mutation { createCustomer(input: { name: "Bình", phone: "0912345002", address: "Hà Nội", email: "binh@shop.vn" }) { id } }`,
  );
  const job = await runImport({
    csv: 'Name,Phone,Address,Email\n"Trần Bình","+84 912 345 002",,\n',
  });
  expect(job).toMatchObject({ created: 0, updated: 1, unchanged: 0, failed: 0 });
  const customer = await customerByPhone('0912345002');
  expect(customer).toMatchObject({
    id: createCustomer.id,
    name: 'Trần Bình',
    address: 'Hà Nội',
    email: 'binh@shop.vn',
  });
});

it('matches by email (any case) when no phone matches, then by external id; phone first', async () => {
  const a = (
    await gql(
      admin,
      `mutation { createCustomer(input: { name: "Chi", email: "chi@shop.vn" }) { id } }`,
    )
  ).createCustomer.id;
  const b = (
    await gql(
      admin,
      `mutation { createCustomer(input: { name: "Dũng", externalIds: [{ source: SHOP, id: "KH-77" }] }) { id } }`,
    )
  ).createCustomer.id;
  const c = (
    await gql(
      admin,
      `mutation { createCustomer(input: { name: "Giang", phone: "0912345003" }) { id } }`,
    )
  ).createCustomer.id;
  const job = await runImport({
    csv: [
      'Họ tên,SĐT,Email,Mã KH',
      'Chi Mai,0912345004,CHI@shop.vn,', // email → a, and a gets the new phone
      'Dũng Lê,,,KH-77', // external id → b
      'Giang Hồ,0912345003,chi@shop.vn,', // the phone wins over the email → c
    ].join('\n'),
  });
  expect(job).toMatchObject({ created: 0, updated: 3, failed: 0 });
  const names = await subgraph.db.query(
    'SELECT id, name FROM customer WHERE id = ANY($1::uuid[]) ORDER BY name',
    [[a, b, c]],
  );
  expect(
    Object.fromEntries(names.map((r: { id: string; name: string }) => [r.id, r.name])),
  ).toEqual({
    [a]: 'Chi Mai',
    [b]: 'Dũng Lê',
    [c]: 'Giang Hồ',
  });
  expect((await customerByPhone('0912345004')).id).toBe(a);
});

it('importing the same file again creates nothing and changes nothing', async () => {
  const lines = ['Họ tên,Số điện thoại,Email,Nhãn'];
  for (let i = 0; i < 1500; i++) {
    lines.push(`Khách ${i},09130${String(i).padStart(5, '0')},k${i}@mail.vn,"a, b"`);
  }
  lines.push('Trùng,0913000000,,c'); // the first row's phone again: an update of it
  const csv = lines.join('\n');
  const first = await runImport({ csv });
  expect(first).toMatchObject({ rowsTotal: 1501, created: 1500, updated: 1, failed: 0 });
  const customers = await count('SELECT count(*) AS n FROM customer WHERE workspace_id = $1');
  const outbox = await count('SELECT count(*) AS n FROM outbox WHERE workspace_id = $1');
  const second = await runImport({ csv });
  expect(second).toMatchObject({ created: 0, failed: 0, processed: 1501 });
  expect(second.updated + second.unchanged).toBe(1501);
  // Row 1 and the last row name the same customer with other names: those rewrite it.
  expect(second.updated).toBe(2);
  expect(await count('SELECT count(*) AS n FROM customer WHERE workspace_id = $1')).toBe(customers);
  expect(await count('SELECT count(*) AS n FROM outbox WHERE workspace_id = $1')).toBe(outbox);
  expect((await customerByPhone('0913000000')).tags).toEqual(['a', 'b', 'c']);
});

it('refuses bad rows naming line and column, writes the rest, and offers them as CSV', async () => {
  const csv = [
    'Họ tên,Số điện thoại,Email,Ngày sinh,Giới tính,Cỡ áo',
    'Hà,0914000001,ha@mail.vn,01/01/1991,Nữ,S',
    'Sai số,12345,,,,',
    'Sai mail,0914000003,không-phải-email,,,',
    'Sai ngày,0914000004,,31/02/1990,,XL',
    'Không khóa,,,,,',
    'Khoa,0914000006,,,khác,L',
    '=cmd,0914000007,,,bad,',
  ].join('\n');
  const job = await runImport({ csv });
  expect(job).toMatchObject({ status: 'DONE', created: 2, failed: 5 });
  // By line (errors of one line in no particular order: sorted here by column).
  const errors = job.errors.edges
    .map((e) => e.node)
    .sort((a, b) => a.line - b.line || (a.column ?? '').localeCompare(b.column ?? ''));
  expect(errors).toEqual([
    {
      line: 3,
      column: 'Số điện thoại',
      field: 'PHONE',
      message: 'column "Số điện thoại": "12345" is not a valid phone number',
    },
    expect.objectContaining({ line: 4, column: 'Email', field: 'EMAIL' }),
    expect.objectContaining({ line: 5, column: 'Cỡ áo', field: 'CUSTOM' }),
    expect.objectContaining({ line: 5, column: 'Ngày sinh', field: 'BIRTHDAY' }),
    expect.objectContaining({ line: 6, column: null, field: null }),
    expect.objectContaining({ line: 8, column: 'Giới tính', field: 'GENDER' }),
  ]);
  expect(await customerByPhone('0914000001')).toMatchObject({
    gender: 'FEMALE',
    custom: [{ key: 'size', value: 'S' }],
  });
  expect(await customerByPhone('0914000006')).toMatchObject({ gender: 'OTHER' });
  expect(await customerByPhone('0914000003')).toBeNull();
  expect(job.errorFile?.url).toBe(`/files/${job.errorFile?.id}`);
  const parts: Buffer[] = [];
  for await (const part of readFileChunks(subgraph.db, ws, job.errorFile!.id)) parts.push(part);
  const lines = Buffer.concat(parts)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(lines[0]).toBe(
    'Họ tên,Số điện thoại,Email,Ngày sinh,Giới tính,Cỡ áo,Dòng / Line,Lỗi / Error',
  );
  expect(lines).toHaveLength(6);
  expect(lines[1]).toBe(
    'Sai số,12345,,,,,3,"column ""Số điện thoại"": ""12345"" is not a valid phone number"',
  );
  // A formula-like cell is escaped with a quote.
  expect(lines[5].startsWith("'=cmd,0914000007")).toBe(true);
});

it('a file with 1,000 bad rows among 2,000 names exactly those 1,000 lines; the rest go in', async () => {
  const lines = ['Họ tên,Số điện thoại,Email'];
  const bad = new Set<number>();
  for (let i = 0; i < 2_000; i++) {
    // Every other row's phone is not a number; the file line is i + 2 (after the header).
    const ok = i % 2 === 0;
    if (!ok) bad.add(i + 2);
    lines.push(`Lô ${i},${ok ? `0917${String(i).padStart(6, '0')}` : `sai-${i}`},`);
  }
  const job = await runImport({ csv: lines.join('\n') });
  expect(job).toMatchObject({ status: 'DONE', rowsTotal: 2_000, created: 1_000, failed: 1_000 });
  const parts: Buffer[] = [];
  for await (const part of readFileChunks(subgraph.db, ws, job.errorFile!.id)) parts.push(part);
  const named = Buffer.concat(parts)
    .toString('utf8')
    .trim()
    .split('\r\n')
    .slice(1)
    .map((line) => Number(line.split(',')[3]));
  expect(named.sort((a, b) => a - b)).toEqual([...bad].sort((a, b) => a - b));
  expect(
    await count(`SELECT count(*) AS n FROM customer WHERE workspace_id = $1 AND name LIKE 'Lô %'`),
  ).toBe(1_000);
});

it('refuses a row whose tags would take a customer past the 50 a customer may have', async () => {
  const tags = Array.from({ length: 49 }, (_, i) => `t${i}`);
  await gql(
    admin,
    `mutation($t: [String!]!) { createCustomer(input: { name: "Nhiều nhãn", phone: "0918500001", tags: $t }) { id } }`,
    { t: tags },
  );
  const job = await runImport({
    csv: 'Họ tên,Số điện thoại,Nhãn\nNhiều nhãn,0918500001,"t0, mới 1, mới 2"\nNhiều nhãn,0918500001,"t1, mới 1"\n',
  });
  // The first row would make 51 tags: refused. The second makes 50: written.
  expect(job).toMatchObject({ status: 'DONE', updated: 1, failed: 1 });
  expect(job.errors.edges.map((e) => e.node)).toEqual([
    expect.objectContaining({ line: 2, field: 'TAGS' }),
  ]);
  expect((await customerByPhone('0918500001')).tags).toEqual([...tags, 'mới 1']);
});

it('a dry run counts and refuses like a run, and writes nothing', async () => {
  const customers = await count('SELECT count(*) AS n FROM customer WHERE workspace_id = $1');
  const outbox = await count('SELECT count(*) AS n FROM outbox WHERE workspace_id = $1');
  const owners = await count('SELECT count(*) AS n FROM phone_owner WHERE workspace_id = $1');
  const job = await runImport({
    csv: 'Họ tên,SĐT\nMới,0915000001\nCũ đổi tên,0912345001\nSai,abc\n',
    dryRun: true,
  });
  expect(job).toMatchObject({ dryRun: true, created: 1, updated: 1, failed: 1 });
  expect(job.errors.edges[0].node).toMatchObject({ line: 4, field: 'PHONE' });
  expect(await count('SELECT count(*) AS n FROM customer WHERE workspace_id = $1')).toBe(customers);
  expect(await count('SELECT count(*) AS n FROM outbox WHERE workspace_id = $1')).toBe(outbox);
  expect(await count('SELECT count(*) AS n FROM phone_owner WHERE workspace_id = $1')).toBe(owners);
  expect((await customerByPhone('0912345001')).name).toBe('Nguyễn Văn An');
});

it('reads an uploaded XLSX workbook, with a date cell and a number cell', async () => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Khách hàng');
  sheet.addRow(['Họ tên', 'Số điện thoại', 'Ngày sinh', 'Email']);
  sheet.addRow(['Lan', 916000001, new Date(Date.UTC(1995, 6, 20)), 'lan@mail.vn']);
  sheet.addRow([]);
  sheet.addRow(['Minh', '0916 000 002', null, null]);
  sheet.getCell('C2').numFmt = 'dd/mm/yyyy';
  const writer = await openFileWriter(subgraph.db, {
    workspaceId: ws,
    kind: 'UPLOAD',
    name: 'khach.xlsx',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    createdBy: 'boss',
    capability: 'workspace.edit',
  });
  await writer.write(Buffer.from(await workbook.xlsx.writeBuffer()));
  const upload = await writer.finish();
  // A dry run keeps the upload for the import that follows it; the import deletes it.
  expect(await runImport({ uploadId: upload.id, dryRun: true })).toMatchObject({ created: 2 });
  const job = await runImport({ uploadId: upload.id });
  expect(job).toMatchObject({
    status: 'DONE',
    format: 'XLSX',
    rowsTotal: 2,
    created: 2,
    failed: 0,
  });
  expect(await count('SELECT count(*) AS n FROM stored_file WHERE id = $1', [upload.id])).toBe(0);
  expect(await customerByPhone('0916000001')).toMatchObject({
    name: 'Lan',
    birthday: '1995-07-20',
    email: 'lan@mail.vn',
  });
  expect(await customerByPhone('0916000002')).toMatchObject({ name: 'Minh' });
});

it('an explicit mapping overrides what headers are recognised as', async () => {
  const job = await runImport({
    csv: 'Khách,Liên hệ,Tên\nNgọc,0917000001,bỏ qua\n',
    mapping: [
      { header: 'khach', field: 'NAME' },
      { header: 'Liên hệ', field: 'PHONE' },
      { header: 'Tên', field: 'IGNORE' },
    ],
  });
  expect(job).toMatchObject({ created: 1, ignoredColumns: ['Tên'] });
  expect(await customerByPhone('0917000001')).toMatchObject({ name: 'Ngọc' });
});

it('refuses before any job: over the inline cap, no key column, a bad mapping', async () => {
  const start = (input: object) =>
    subgraph.query(
      admin,
      `mutation ($input: CustomerImportInput!) { startCustomerImport(input: $input) { id } }`,
      { input },
    );
  const jobs = await count('SELECT count(*) AS n FROM customer_import WHERE workspace_id = $1');
  const big = await start({ csv: `SĐT\n${'0912345678\n'.repeat(100_000)}` });
  expect(big.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.csv' });
  expect(big.errors?.[0].message).toMatch(/1,048,576/);
  const noKey = await start({ csv: 'Họ tên,Địa chỉ\nAn,Huế\n' });
  expect(noKey.errors?.[0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'input.csv',
  });
  const badMap = await start({
    csv: 'SĐT\n0912345678\n',
    mapping: [{ header: 'Nope', field: 'NAME' }],
  });
  expect(badMap.errors?.[0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'input.mapping[0].header',
  });
  const both = await start({
    csv: 'SĐT\n0912345678\n',
    uploadId: '00000000-0000-4000-8000-000000000000',
  });
  expect(both.errors?.[0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'input.uploadId',
  });
  expect(await count('SELECT count(*) AS n FROM customer_import WHERE workspace_id = $1')).toBe(
    jobs,
  );
});

it('admins and editors import; staff and analysts are refused; jobs stay in their workspace', async () => {
  const job = await runImport({ csv: 'SĐT\n0918000001\n' }, editor);
  expect(job.created).toBe(1);
  for (const role of ['staff', 'analyst'] as const) {
    const who: Identity = { workspaceId: ws, userId: `${role}-1`, role };
    const started = await subgraph.query(
      who,
      `mutation { startCustomerImport(input: { csv: "SĐT\\n0918000002\\n" }) { id } }`,
    );
    expect(started.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const read = await subgraph.query(who, `{ importJob(id: "${job.id}") { id } }`);
    expect(read.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  }
  const other: Identity = { workspaceId: 'import-other', userId: 'boss', role: 'admin' };
  await subgraph.db.query('INSERT INTO workspace (id) VALUES ($1)', [other.workspaceId]);
  expect((await gql(other, `{ importJob(id: "${job.id}") { id } }`)).importJob).toBeNull();
  expect((await gql(other, `{ importJobs { edges { node { id } } } }`)).importJobs.edges).toEqual(
    [],
  );
  const { importJobs } = await gql(admin, `{ importJobs(first: 2) { edges { node { id } } } }`);
  expect(importJobs.edges[0].node.id).toBe(job.id);
});
