// Merged customers, in a subgraph that does not own the customer record: which
// customer ids were merged into which survivor, a projection of contacts'
// contacts.customer.merged (docs/merge.md), kept by the customerAccess module in the
// same transaction as the subgraph's own handlers of the event (it is listed first, so
// they read the mapping it just wrote).
//
// customer_merge(workspace_id, merged_id, survivor_id, occurred_at): one row per merged
// id, always pointing at the customer that id names NOW. A merge of a survivor into
// another customer re-points the rows that named it (A → B, then B → C: A → C), and a
// merge arriving after a later one that took its survivor lands on that one's survivor:
// both orders end the same.
//
// What it is for: a Customer reference carrying a merged id (a row of another subgraph
// not moved yet, an id a client kept) resolves to the survivor (`customerAccess`
// loaders, `__resolveReference`), the access check of a merged id is the survivor's
// (customer-access.module.ts), and handlers move rows to the survivor as it is now.
import DataLoader from 'dataloader';
import type { MigrationInterface, QueryRunner, DataSource, EntityManager } from 'typeorm';
import type { CUSTOMER_MERGED } from './events/catalog.generated';
import type { EventHandler } from './events/consumer';
import type { EventOf } from './events/envelope';
import { isUuid } from './ids';
import type { RequestScope } from './subgraph.types';

export class CreateCustomerMerges1764700000000 implements MigrationInterface {
  name = 'CreateCustomerMerges1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer_merge (
        workspace_id text NOT NULL,
        merged_id uuid NOT NULL,
        survivor_id uuid NOT NULL,
        occurred_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, merged_id)
      )`);
    await q.query(
      'CREATE INDEX customer_merge_survivor_idx ON customer_merge (workspace_id, survivor_id)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE customer_merge');
  }
}

/**
 * Merged ids among `ids` → the survivor each names now (ids never merged are absent);
 * keys as Postgres writes uuids, in lower case.
 */
export async function survivorsOf(
  db: DataSource | EntityManager,
  workspaceId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const valid = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
  if (valid.length === 0) return new Map();
  const rows: { merged_id: string; survivor_id: string }[] = await db.query(
    `SELECT merged_id, survivor_id FROM customer_merge
      WHERE workspace_id = $1 AND merged_id = ANY($2::uuid[])`,
    [workspaceId, valid],
  );
  return new Map(rows.map((r) => [r.merged_id, r.survivor_id]));
}

/**
 * Where a merge event's rows go: its survivor, or the customer that survivor was
 * merged into since (a later merge applied first). Read after the projection applied it.
 */
export async function mergeTarget(
  tx: EntityManager,
  event: EventOf<typeof CUSTOMER_MERGED>,
): Promise<string> {
  const { survivorId } = event.payload;
  return (await survivorsOf(tx, event.workspaceId, [survivorId])).get(survivorId) ?? survivorId;
}

/** contacts.customer.merged: the merged ids map to the survivor (idempotent). */
export const projectMerge: EventHandler<typeof CUSTOMER_MERGED> = async (tx, event) => {
  const { survivorId, mergedIds } = event.payload;
  await tx.query(
    `WITH target AS (
       SELECT COALESCE((SELECT survivor_id FROM customer_merge
                         WHERE workspace_id = $1 AND merged_id = $2), $2::uuid) AS id),
     chained AS (
       UPDATE customer_merge SET survivor_id = (SELECT id FROM target)
        WHERE workspace_id = $1 AND survivor_id = ANY($3::uuid[]))
     INSERT INTO customer_merge (workspace_id, merged_id, survivor_id, occurred_at)
     SELECT $1, m.id, (SELECT id FROM target), $4 FROM unnest($3::uuid[]) AS m(id)
     ON CONFLICT (workspace_id, merged_id) DO NOTHING`,
    [event.workspaceId, survivorId, mergedIds, event.occurredAt],
  );
  // The merged customers are gone: their rows in the access projection become
  // tombstones (whatever their time: a merge is final, as a deletion is), so no late
  // assignment of them reaches anything; the survivor keeps its own row.
  await tx.query(
    `INSERT INTO customer_access (workspace_id, customer_id, assigned_staff, deleted, occurred_at)
     SELECT $1, m.id, NULL, true, $3 FROM unnest($2::uuid[]) AS m(id)
     ON CONFLICT (workspace_id, customer_id) DO UPDATE SET
       assigned_staff = NULL, deleted = true,
       occurred_at = GREATEST(customer_access.occurred_at, EXCLUDED.occurred_at)
     WHERE NOT customer_access.deleted`,
    [event.workspaceId, mergedIds, event.occurredAt],
  );
};

/** The customerAccess module's per-request loaders, `ctx.loaders.customerAccess`. */
export interface CustomerAccessLoaders {
  /** The customer an id names now: the survivor for a merged id, else the id itself. */
  currentId: DataLoader<string, string>;
}

export function createCustomerAccessLoaders({
  db,
  workspaceId,
}: RequestScope): CustomerAccessLoaders {
  return {
    currentId: new DataLoader(async (ids) => {
      const survivors = await survivorsOf(db, workspaceId, ids);
      return ids.map((id) => survivors.get(id.toLowerCase()) ?? id);
    }),
  };
}
