// The file store on real Postgres (files/file.store.ts): content in chunks read back
// whole, and an erasure's search deleting every file that holds the person — a value
// cut in two by a chunk's end included — and no other file, nor another workspace's.
import { randomUUID } from 'node:crypto';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import {
  CHUNK_BYTES,
  deleteFilesMentioning,
  openFileWriter,
  readFileChunks,
} from '../src/files/file.store';
import type { FileKind } from '../src/files/file.store';

const ws = `files-${randomUUID().slice(0, 8)}`;
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
}, 60_000);
afterAll(() => subgraph?.stop());

async function store(text: string | string[], workspaceId = ws, kind: FileKind = 'EXPORT') {
  const writer = await openFileWriter(subgraph.db, {
    workspaceId,
    kind,
    name: 'x.csv',
    contentType: 'text/csv',
    createdBy: 'u1',
    capability: 'customers.export',
  });
  // Written as an export does, a row at a time, or in the pieces given (an upload's).
  for (const piece of Array.isArray(text) ? text : text.split(/(?<=\n)/)) await writer.write(piece);
  return writer.finish();
}

async function read(id: string, workspaceId = ws): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of readFileChunks(subgraph.db, workspaceId, id)) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

const filler = (bytes: number) => `${'a,b,c,d,e,f,g,h,i\n'.repeat(Math.ceil(bytes / 18))}`;

it('reads back what was written, over several chunks, only in its workspace', async () => {
  const text = `Họ tên\n${filler(2.2 * CHUNK_BYTES)}Trần Văn Bảo\n`;
  const file = await store(text);
  expect(file).toMatchObject({ ready: true, byteSize: Buffer.byteLength(text) });
  const [{ chunks }] = await subgraph.db.query(
    'SELECT count(*)::int AS chunks FROM stored_file_chunk WHERE file_id = $1',
    [file.id],
  );
  expect(chunks).toBe(3);
  expect(await read(file.id)).toBe(text);
  expect(await read(file.id, `${ws}-other`)).toBe('');
});

it("deletes the files holding a person's values, even cut by a chunk's end, and no others", async () => {
  const phone = '0903111222';
  const withPhone = await store(`name,phone\nAn,${phone}\n`);
  // An upload arriving in pieces cut inside the phone, the first filling a chunk.
  const cut = await store([`${filler(CHUNK_BYTES)}Bình,0903`, '111222\n'], ws, 'UPLOAD');
  const [{ seam }] = await subgraph.db.query(
    `SELECT position(convert_to($2, 'UTF8') IN data) AS seam
       FROM stored_file_chunk WHERE file_id = $1 AND seq = 0`,
    [cut.id, phone],
  );
  expect(seam).toBe(0); // not whole in either chunk
  const withName = await store(`name\nNguyễn Thị Ánh\n`);
  const other = await store(`name,phone\nChi,0903999888\n`);
  const elsewhere = await store(`name,phone\nAn,${phone}\n`, `${ws}-other`);

  const deleted = await deleteFilesMentioning(subgraph.db, ws, [
    phone,
    '+84903111222',
    'Nguyễn Thị Ánh',
  ]);
  expect(deleted).toBe(3);
  const [{ left }] = await subgraph.db.query(
    'SELECT array_agg(id ORDER BY id) AS left FROM stored_file WHERE id = ANY($1)',
    [[withPhone.id, cut.id, withName.id, other.id, elsewhere.id]],
  );
  expect(left).toEqual([other.id, elsewhere.id].sort());
});
