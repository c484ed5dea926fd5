// An export through the gateway (services/contacts/src/exports/): asked for with a
// bearer token, followed with exportJob, downloaded at its url with the same token
// (CSV with BOM, Vietnamese intact, formulas escaped); another workspace's token gets
// 404, a role without customers.export 403.
import { randomUUID } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { readCsv } from '@customer-graph/runtime';
import { startTestStack } from './stack';
import type { TestStack } from './stack';

let stack: TestStack;
let base: string;
const ws = `exports-e2e-${randomUUID().slice(0, 8)}`;
const editor: Identity = { workspaceId: ws, userId: 'editor-1', role: 'editor' };

beforeAll(async () => {
  stack = await startTestStack();
  base = stack.gateway.url.replace(/\/graphql$/, '');
}, 120_000);
afterAll(() => stack?.stop());

interface Job {
  id: string;
  status: string;
  processed: number;
  total: number;
  file: { url: string; name: string; expiresAt: string } | null;
}

it('exports customers and serves the file with the same bearer token, only in its workspace', async () => {
  const token = await stack.token(editor);
  for (const name of ['Trần Văn Đức', '=1+2', 'Lê Thị Hồng']) {
    const created = await stack.query(
      token,
      'mutation($name: String!) { createCustomer(input: { name: $name, tags: ["e2e"] }) { id } }',
      { name },
    );
    expect(created.body.errors).toBeUndefined();
  }
  const started = await stack.query(
    token,
    `mutation { exportCustomers(input: { target: { filter: { tags: { containsAny: ["e2e"] } } },
        columns: [NAME, TAGS] }) { id status } }`,
  );
  expect(started.body.errors).toBeUndefined();
  const id = (started.body.data!.exportCustomers as Job).id;
  let job: Job;
  for (;;) {
    const read = await stack.query(
      token,
      `query($id: ID!) { exportJob(id: $id) { id status processed total file { url name expiresAt } } }`,
      { id },
    );
    job = read.body.data!.exportJob as Job;
    if (job.status === 'DONE' || job.status === 'FAILED') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(job).toMatchObject({ status: 'DONE', processed: 3, total: 3 });
  // Kept a day.
  const kept = Date.parse(job.file!.expiresAt) - Date.now();
  expect(kept).toBeGreaterThan(23 * 3600_000);
  expect(kept).toBeLessThanOrEqual(24 * 3600_000);

  const res = await fetch(`${base}${job.file!.url}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const bytes = Buffer.from(await res.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = [...readCsv(bytes.toString('utf8'))].map((r) => r.cells);
  expect(rows[0]).toEqual(['name', 'tags']);
  expect(
    rows
      .slice(1)
      .map((r) => r[0])
      .sort(),
  ).toEqual(["'=1+2", 'Lê Thị Hồng', 'Trần Văn Đức']);

  const stranger = await stack.token({ workspaceId: `${ws}-other`, userId: 'x', role: 'admin' });
  const theirs = await fetch(`${base}${job.file!.url}`, {
    headers: { authorization: `Bearer ${stranger}` },
  });
  expect(theirs.status).toBe(404);
  const staff = await stack.token({ workspaceId: ws, userId: 'staff-1', role: 'staff' });
  const refused = await fetch(`${base}${job.file!.url}`, {
    headers: { authorization: `Bearer ${staff}` },
  });
  expect(refused.status).toBe(403);
  const asked = await stack.query(
    staff,
    'mutation { exportCustomers(input: { target: { filter: {} } }) { id } }',
  );
  expect(asked.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});
