// Every row of every subgraph belongs to a workspace. A workspace id first seen in a
// valid (gateway-signed) context is provisioned on first use: each subgraph keeps its
// own `workspace` table, and every other table references it.
import { EntitySchema } from 'typeorm';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';

export interface WorkspaceRow {
  id: string;
  createdAt: Date;
}

export const WorkspaceEntity = new EntitySchema<WorkspaceRow>({
  name: 'Workspace',
  tableName: 'workspace',
  columns: {
    id: { type: 'text', primary: true },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
  },
});

/** Shared by every subgraph: listed first in each subgraph's migrations. */
export class CreateWorkspaceTable1763900000000 implements MigrationInterface {
  name = 'CreateWorkspaceTable1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workspace (
        id text PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE workspace');
  }
}

export interface WorkspaceProvisioner {
  ensure(workspaceId: string): Promise<void>;
}

/** Inserts the workspace row once per process (the insert itself is idempotent). */
export function createWorkspaceProvisioner(dataSource: DataSource): WorkspaceProvisioner {
  const known = new Map<string, Promise<void>>();
  return {
    ensure(workspaceId) {
      let pending = known.get(workspaceId);
      if (!pending) {
        pending = dataSource
          .query('INSERT INTO workspace (id) VALUES ($1) ON CONFLICT (id) DO NOTHING', [
            workspaceId,
          ])
          .then(() => undefined);
        known.set(workspaceId, pending);
        // A failed insert is not remembered, so the next request tries again.
        pending.catch(() => known.delete(workspaceId));
      }
      return pending;
    },
  };
}
