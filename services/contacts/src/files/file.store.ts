// Files kept for a while in contacts' database (migrations/1766000000100-StoredFiles):
// uploads to import, exports, import error files, a person's data export. Content is
// written and read one chunk (up to CHUNK_BYTES) at a time, so a file of any size costs
// one chunk of memory; each chunk is its own short statement, never one long
// transaction. A file is served only once `finish` marked it ready, only in its
// workspace, only before it expires, and only to a caller holding its capability.
import type { DataSource, EntityManager } from 'typeorm';
import { uuidv7 } from '@customer-graph/runtime';
import type { Capability } from '@customer-graph/runtime';

export type FileKind = 'UPLOAD' | 'EXPORT' | 'IMPORT_ERRORS' | 'PERSON_EXPORT';

export interface StoredFile {
  id: string;
  workspaceId: string;
  kind: FileKind;
  name: string;
  contentType: string;
  /** Who may download it (on top of being in its workspace). */
  capability: Capability;
  byteSize: number;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  ready: boolean;
}

export interface FileWriter {
  readonly id: string;
  /** Buffers; writes a chunk row each time CHUNK_BYTES are buffered. */
  write(chunk: string | Buffer): Promise<void>;
  /** Writes what is buffered and marks the file ready. */
  finish(): Promise<StoredFile>;
  /** Deletes the file and what was written of it. */
  abort(): Promise<void>;
  /** Bytes written so far. */
  readonly byteSize: number;
}

export interface NewFile {
  workspaceId: string;
  kind: FileKind;
  name: string;
  contentType: string;
  createdBy: string;
  capability: Capability;
  /** How long it is kept; default FILE_TTL_MS (a day). */
  ttlMs?: number;
}

export const CHUNK_BYTES = 1024 * 1024;
export const FILE_TTL_MS = 24 * 60 * 60 * 1000;

interface FileRow {
  id: string;
  workspace_id: string;
  kind: FileKind;
  name: string;
  content_type: string;
  capability: Capability;
  byte_size: string;
  created_by: string;
  created_at: Date;
  expires_at: Date;
  ready: boolean;
}

function toFile(row: FileRow): StoredFile {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    kind: row.kind,
    name: row.name,
    contentType: row.content_type,
    capability: row.capability,
    byteSize: Number(row.byte_size),
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ready: row.ready,
  };
}

/** Where the gateway serves a file (GET, with the bearer token of its workspace). */
export function fileUrl(id: string): string {
  return `/files/${id}`;
}

export async function openFileWriter(db: DataSource, meta: NewFile): Promise<FileWriter> {
  const id = uuidv7();
  await db.query(
    `INSERT INTO stored_file
       (id, workspace_id, kind, name, content_type, capability, created_by, expires_at)
     VALUES ($2, $1, $3, $4, $5, $6, $7, now() + make_interval(secs => $8))`,
    [
      meta.workspaceId,
      id,
      meta.kind,
      meta.name,
      meta.contentType,
      meta.capability,
      meta.createdBy,
      (meta.ttlMs ?? FILE_TTL_MS) / 1000,
    ],
  );
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let seq = 0;
  let byteSize = 0;
  const flush = async (): Promise<void> => {
    if (pendingBytes === 0) return;
    const data = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await db.query('INSERT INTO stored_file_chunk (file_id, seq, data) VALUES ($1, $2, $3)', [
      id,
      seq++,
      data,
    ]);
  };
  return {
    id,
    get byteSize() {
      return byteSize;
    },
    async write(chunk) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      if (bytes.length === 0) return;
      pending.push(bytes);
      pendingBytes += bytes.length;
      byteSize += bytes.length;
      if (pendingBytes >= CHUNK_BYTES) await flush();
    },
    async finish() {
      await flush();
      const [row] = (await db.query(
        `UPDATE stored_file SET ready = true, byte_size = $3
          WHERE workspace_id = $1 AND id = $2 RETURNING *`,
        [meta.workspaceId, id, byteSize],
      )) as [FileRow[], number];
      return toFile(row[0]);
    },
    async abort() {
      pending = [];
      pendingBytes = 0;
      await deleteFile(db, meta.workspaceId, id);
    },
  };
}

/** The file of this workspace, ready or not, expired or not; null when there is none. */
export async function findFile(
  db: DataSource | EntityManager,
  workspaceId: string,
  id: string,
): Promise<StoredFile | null> {
  const rows = (await db.query('SELECT * FROM stored_file WHERE workspace_id = $1 AND id = $2', [
    workspaceId,
    id,
  ])) as FileRow[];
  return rows[0] ? toFile(rows[0]) : null;
}

/** The file's content, chunk after chunk, each read when the previous one was taken. */
export async function* readFileChunks(
  db: DataSource,
  workspaceId: string,
  id: string,
): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const rows = (await db.query(
      `SELECT c.data FROM stored_file_chunk c
         JOIN stored_file f ON f.id = c.file_id
        WHERE f.workspace_id = $1 AND c.file_id = $2 AND c.seq = $3`,
      [workspaceId, id, seq],
    )) as { data: Buffer }[];
    if (rows.length === 0) return;
    yield rows[0].data;
  }
}

/**
 * Deletes one file of the workspace (its chunks with it), only if it is of `kind` and,
 * with `unfinished`, only while it is not ready: a job dropping its partial file, an
 * import its upload.
 */
export async function deleteFile(
  db: Pick<EntityManager, 'query'>,
  workspaceId: string,
  id: string,
  only: { kind?: FileKind; unfinished?: boolean } = {},
): Promise<void> {
  await db.query(
    `DELETE FROM stored_file WHERE workspace_id = $1 AND id = $2
        AND ($3::text IS NULL OR kind = $3) AND NOT ($4 AND ready)`,
    [workspaceId, id, only.kind ?? null, only.unfinished ?? false],
  );
}

/** Deletes up to `batch` expired files (their chunks with them); returns how many. */
export async function pruneExpiredFiles(db: DataSource, batch = 100): Promise<number> {
  const [, deleted] = (await db.query(
    `DELETE FROM stored_file WHERE id IN (
       SELECT id FROM stored_file WHERE expires_at < now() ORDER BY expires_at LIMIT $1)`,
    [batch],
  )) as [unknown, number];
  return deleted;
}

/** A stored file as the GraphQL type DownloadableFile shows it. */
export function downloadable(file: StoredFile) {
  return {
    id: file.id,
    name: file.name,
    contentType: file.contentType,
    byteSize: file.byteSize,
    url: fileUrl(file.id),
    expiresAt: file.expiresAt,
  };
}

/** How much of the previous chunk is searched with the next (values split by the cut). */
const SEAM_BYTES = 256;

/**
 * Deletes the workspace's files whose content holds any of `needles` (a person's phone
 * in its written forms, email, name), whatever their kind: an erasure must not leave
 * the person in an export made an hour ago. Each chunk is searched together with the
 * end of the one before, so a value cut in two by a chunk's end is found. Values are
 * searched as UTF-8 bytes: a compressed upload (XLSX) cannot be searched this way —
 * uploads are deleted when their import ends (imports/).
 */
export async function deleteFilesMentioning(
  db: Pick<EntityManager, 'query'>,
  workspaceId: string,
  needles: readonly string[],
): Promise<number> {
  const values = [...new Set(needles.filter((n) => n.length >= 3))];
  if (values.length === 0) return 0;
  const [, deleted] = (await db.query(
    `WITH needle AS (SELECT convert_to(v, 'UTF8') AS bytes FROM unnest($2::text[]) v),
     hit AS (
       SELECT DISTINCT c.file_id
         FROM stored_file f
         JOIN stored_file_chunk c ON c.file_id = f.id
         LEFT JOIN stored_file_chunk p ON p.file_id = c.file_id AND p.seq = c.seq - 1
        WHERE f.workspace_id = $1
          AND EXISTS (
            SELECT 1 FROM needle
             WHERE position(needle.bytes IN
                     coalesce(substring(p.data FROM greatest(length(p.data) - $3 + 1, 1)), ''::bytea)
                     || c.data) > 0))
     DELETE FROM stored_file f USING hit
      WHERE f.workspace_id = $1 AND f.id = hit.file_id`,
    [workspaceId, values, SEAM_BYTES],
  )) as [unknown, number];
  return deleted;
}
