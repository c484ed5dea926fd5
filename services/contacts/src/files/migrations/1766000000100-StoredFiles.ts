import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files kept for a while (files/file.store.ts): uploads to import, exports, import error
 * files and a person's data export. A file is a row of metadata and its content in
 * chunks of up to 1 MiB, written and read one chunk at a time, so a file of any size
 * costs the process one chunk of memory. `ready` is set once the last chunk is in: a
 * file being written is never served. Expired files are deleted by the prune worker
 * (the chunks with them, ON DELETE CASCADE).
 */
export class StoredFiles1766000000100 implements MigrationInterface {
  name = 'StoredFiles1766000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stored_file (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('UPLOAD', 'EXPORT', 'IMPORT_ERRORS', 'PERSON_EXPORT')),
        name text NOT NULL,
        content_type text NOT NULL,
        capability text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        byte_size bigint NOT NULL DEFAULT 0,
        ready boolean NOT NULL DEFAULT false
      )`);
    await q.query(
      'CREATE INDEX stored_file_workspace_idx ON stored_file (workspace_id, created_at)',
    );
    await q.query('CREATE INDEX stored_file_expiry_idx ON stored_file (expires_at)');
    await q.query(`
      CREATE TABLE stored_file_chunk (
        file_id uuid NOT NULL REFERENCES stored_file (id) ON DELETE CASCADE,
        seq int NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (file_id, seq)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE stored_file_chunk');
    await q.query('DROP TABLE stored_file');
  }
}
