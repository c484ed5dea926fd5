import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's data exports (docs/privacy.md): the export (ids, status, the file once
 * written) and the parts the other subgraphs sent, kept until all are in (then written
 * into one file and deleted) or the person is erased.
 */
export class PersonExport1766300000010 implements MigrationInterface {
  name = 'PersonExport1766300000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE person_export (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL REFERENCES workspace (id),
        customer_id uuid NOT NULL,
        requested_by text NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'READY', 'CANCELLED')),
        file_id uuid,
        requested_at timestamptz(3) NOT NULL DEFAULT now(),
        finished_at timestamptz(3)
      )`);
    await q.query(
      'CREATE INDEX person_export_customer_idx ON person_export (workspace_id, customer_id)',
    );
    await q.query(`
      CREATE TABLE person_export_part (
        workspace_id text NOT NULL,
        export_id uuid NOT NULL REFERENCES person_export (id) ON DELETE CASCADE,
        subgraph text NOT NULL,
        data jsonb NOT NULL,
        received_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, export_id, subgraph)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE person_export_part');
    await q.query('DROP TABLE person_export');
  }
}
