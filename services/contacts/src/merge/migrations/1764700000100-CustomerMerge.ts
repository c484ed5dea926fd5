import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Merging duplicate customers (seed 003): customer_merge maps each merged (deleted)
 * customer's id to the customer it names now, so the id keeps resolving; merge_audit
 * records each merge (who, when, the survivor, the merged ids, the choices, the merged
 * records as they were and what moved), readable by admins.
 *
 * customer_merge.survivor_id has no foreign key: the survivor may be deleted later,
 * and the mapping still says the id was merged (a merge naming it is refused as such).
 */
export class CustomerMerge1764700000100 implements MigrationInterface {
  name = 'CustomerMerge1764700000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE merge_audit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL REFERENCES workspace (id),
        survivor_id uuid NOT NULL,
        merged_ids uuid[] NOT NULL,
        merged_by text NOT NULL,
        merged_at timestamptz(3) NOT NULL DEFAULT now(),
        choices jsonb NOT NULL,
        merged jsonb NOT NULL,
        moved jsonb NOT NULL
      )`);
    await q.query(
      'CREATE INDEX merge_audit_workspace_idx ON merge_audit (workspace_id, merged_at DESC, id DESC)',
    );
    await q.query(`
      CREATE TABLE customer_merge (
        workspace_id text NOT NULL,
        merged_id uuid NOT NULL,
        survivor_id uuid NOT NULL,
        merge_id uuid NOT NULL REFERENCES merge_audit (id),
        PRIMARY KEY (workspace_id, merged_id)
      )`);
    await q.query(
      'CREATE INDEX customer_merge_survivor_idx ON customer_merge (workspace_id, survivor_id)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE customer_merge');
    await q.query('DROP TABLE merge_audit');
  }
}
