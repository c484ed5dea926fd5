import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail (docs/audit.md): one row per action staff did, in any service —
 * contacts' own written in the action's transaction, the other services' stored from
 * their `<service>.<service>-audit.recorded` events under the event id. No personal
 * values: ids, counts and kinds. No foreign key to workspace: another service's entry
 * may arrive for a workspace contacts has not served yet.
 *
 * Indexes: the log newest first per workspace, by actor, by a target id (GIN, for
 * `target_ids @> ARRAY[id]`), and by time alone for the retention prune.
 */
export class AuditEntry1766400000100 implements MigrationInterface {
  name = 'AuditEntry1766400000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_entry (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        at timestamptz(3) NOT NULL,
        service text NOT NULL,
        actor_user_id text NOT NULL,
        actor_role text NOT NULL,
        action text NOT NULL,
        target_type text NOT NULL,
        target_ids text[] NOT NULL,
        request_id text,
        detail jsonb NOT NULL
      )`);
    await q.query(
      'CREATE INDEX audit_entry_workspace_idx ON audit_entry (workspace_id, at DESC, id DESC)',
    );
    await q.query(
      `CREATE INDEX audit_entry_actor_idx
         ON audit_entry (workspace_id, actor_user_id, at DESC, id DESC)`,
    );
    await q.query('CREATE INDEX audit_entry_targets_idx ON audit_entry USING gin (target_ids)');
    await q.query('CREATE INDEX audit_entry_at_idx ON audit_entry (at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_entry');
  }
}
