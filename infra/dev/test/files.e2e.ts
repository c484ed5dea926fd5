// Files through the gateway (services/contacts/src/files/): an upload is streamed into
// contacts' store and read back byte for byte with the same bearer token; another
// workspace, a caller without a token, a role without the file's capability, an
// expired and an unfinished file get nothing; an upload over the limit is refused
// before it is read, and leaves nothing behind.
import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { pruneExpiredFiles } from '@customer-graph/contacts';
import { startTestStack } from './stack';
import type { TestStack } from './stack';

let stack: TestStack;
let base: string;
const ws = `files-e2e-${randomUUID().slice(0, 8)}`;
const admin: Identity = { workspaceId: ws, userId: 'admin-1', role: 'admin' };
const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

beforeAll(async () => {
  stack = await startTestStack();
  base = stack.gateway.url.replace(/\/graphql$/, '');
}, 120_000);
afterAll(() => stack?.stop());

async function upload(token: string, body: Buffer, name = 'khách hàng.csv') {
  const res = await fetch(`${base}/files`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'text/csv; charset=utf-8',
      'x-file-name': encodeURIComponent(name),
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const download = (token: string | null, url: string) =>
  fetch(`${base}${url}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

it('keeps an upload of several chunks and serves it back byte for byte, with its name', async () => {
  const token = await stack.token(admin);
  // 2.5 MiB: three chunks, Vietnamese text and random bytes across their edges.
  const body = Buffer.concat([
    Buffer.from('Họ tên,Số điện thoại\nNguyễn Văn Ấn,0901234567\n'),
    randomBytes(2.5 * 1024 * 1024),
  ]);
  const stored = await upload(token, body);
  expect(stored.status).toBe(201);
  expect(stored.body).toMatchObject({ name: 'khách hàng.csv', byteSize: body.length });

  const res = await download(token, stored.body.url as string);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(res.headers.get('content-disposition')).toContain(
    `filename*=UTF-8''${encodeURIComponent('khách hàng.csv')}`,
  );
  expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
});

it('serves a file only in its workspace, to a caller with its capability, while it is ready and fresh', async () => {
  const token = await stack.token(admin);
  const stored = await upload(token, Buffer.from('a,b\n1,2\n'));
  const url = stored.body.url as string;
  const id = stored.body.id as string;

  const stranger = await stack.token({
    workspaceId: `${ws}-other`,
    userId: 'admin-1',
    role: 'admin',
  });
  expect((await download(stranger, url)).status).toBe(404);
  expect((await download(null, url)).status).toBe(401);
  // An upload is for importing: workspace.edit (admins, editors); an analyst has not.
  const analyst = await stack.token({ ...admin, userId: 'an-1', role: 'analyst' });
  const refused = await download(analyst, url);
  expect(refused.status).toBe(403);
  expect(((await refused.json()) as { error: string }).error).toMatch(
    /needs one of the roles admin, editor; you are analyst/,
  );
  expect((await download(token, '/files/not-a-uuid')).status).toBe(404);

  const db = stack.db('contacts');
  await db.query(`UPDATE stored_file SET ready = false WHERE id = $1`, [id]);
  expect((await download(token, url)).status).toBe(404);
  await db.query(
    `UPDATE stored_file SET ready = true, expires_at = now() - interval '1 second' WHERE id = $1`,
    [id],
  );
  expect((await download(token, url)).status).toBe(404);

  // The prune worker's pass deletes it, chunks and all.
  while ((await pruneExpiredFiles(db)) > 0);
  const [{ files, chunks }] = await db.query(
    `SELECT (SELECT count(*) FROM stored_file WHERE id = $1)::int AS files,
            (SELECT count(*) FROM stored_file_chunk WHERE file_id = $1)::int AS chunks`,
    [id],
  );
  expect({ files, chunks }).toEqual({ files: 0, chunks: 0 });
});

it('refuses uploads from callers who may not import and those over the limit, keeping nothing', async () => {
  for (const role of ['analyst', 'staff'] as const) {
    const who = await stack.token({ ...admin, userId: `${role}-2`, role });
    expect((await upload(who, Buffer.from('x'))).status).toBe(403);
  }
  const token = await stack.token(admin);
  expect((await upload(token, Buffer.alloc(0))).status).toBe(400);

  // Declared over the limit: answered before the body is sent.
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request(`${base}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-length': String(MAX_UPLOAD_BYTES + 1) },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.write(Buffer.alloc(1024));
  });
  expect(status).toBe(413);
  const [{ n }] = await stack
    .db('contacts')
    .query(`SELECT count(*)::int AS n FROM stored_file WHERE workspace_id = $1 AND byte_size = 0`, [
      ws,
    ]);
  expect(n).toBe(0);
});
