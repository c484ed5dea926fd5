// For merging customers (merge/merge.participants.ts): the opportunities of the
// merged customers go to the survivor, with their stage history, in the merge's
// transaction.
import type { EntityManager } from 'typeorm';

/** Moves every opportunity of `mergedIds` to `survivorId`; returns how many moved. */
export async function moveOpportunitiesToSurvivor(
  tx: EntityManager,
  workspaceId: string,
  survivorId: string,
  mergedIds: string[],
): Promise<number> {
  const others = mergedIds.filter((id) => id !== survivorId);
  if (others.length === 0) return 0;
  const [{ n }] = await tx.query(
    `WITH moved AS (
       UPDATE opportunity SET customer_id = $2, updated_at = now()
        WHERE workspace_id = $1 AND customer_id = ANY($3::uuid[])
       RETURNING 1)
     SELECT count(*)::int AS n FROM moved`,
    [workspaceId, survivorId, others],
  );
  return n;
}

/** How many opportunities each customer has (0 for one without), by customer id. */
export async function countOpportunities(
  tx: EntityManager,
  workspaceId: string,
  customerIds: string[],
): Promise<Map<string, number>> {
  const rows: { customerId: string; n: number }[] = customerIds.length
    ? await tx.query(
        `SELECT customer_id AS "customerId", count(*)::int AS n FROM opportunity
          WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[]) GROUP BY customer_id`,
        [workspaceId, customerIds],
      )
    : [];
  const counts = new Map(customerIds.map((id) => [id, 0]));
  for (const row of rows) counts.set(row.customerId, row.n);
  return counts;
}
