// A workspace's number of customers without counting them: the rows of customer_count
// (migrations/1766200000100-CustomerCounts.ts) that triggers add as customers are
// inserted and deleted, folded together now and then.
import type { DataSource, EntityManager } from 'typeorm';

/** The workspace's customers, as `count(*)` would say in this snapshot. */
export async function workspaceCustomerCount(
  db: Pick<EntityManager, 'query'>,
  workspaceId: string,
): Promise<number> {
  const [row] = await db.query(
    'SELECT coalesce(sum(n), 0)::int AS n FROM customer_count WHERE workspace_id = $1',
    [workspaceId],
  );
  return row.n as number;
}

/**
 * Folds each workspace's rows into one. Rows committed while it runs are not seen by
 * its DELETE and stay as they are, so no change is lost or counted twice. Returns
 * how many workspaces' rows were folded.
 */
export async function foldCustomerCounts(db: DataSource): Promise<number> {
  const [row] = await db.query(`
    WITH folded AS (
      DELETE FROM customer_count
       WHERE workspace_id IN (SELECT workspace_id FROM customer_count
                               GROUP BY workspace_id HAVING count(*) > 1)
      RETURNING workspace_id, n),
    inserted AS (
      INSERT INTO customer_count (workspace_id, n)
      SELECT workspace_id, sum(n) FROM folded GROUP BY workspace_id RETURNING 1)
    SELECT count(*)::int AS n FROM inserted`);
  return row.n as number;
}
