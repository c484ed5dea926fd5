// For merging customers (merge/merge.participants.ts): the calls of the merged
// customers move to the survivor, in the merge's transaction, before the
// merged customers are deleted (which would delete their calls). A moved call keeps
// the survivor while its number stays the same (call.write.ts), whichever customer
// that number's owner is later.
import type { EntityManager } from 'typeorm';
import { isUuid } from '@customer-graph/runtime';

/** Re-points the calls of `mergedIds` to `survivorId`; returns how many moved. */
export async function moveCallsToSurvivor(
  tx: EntityManager,
  workspaceId: string,
  survivorId: string,
  mergedIds: string[],
): Promise<number> {
  const others = mergedIds.filter((id) => id !== survivorId && isUuid(id));
  if (others.length === 0) return 0;
  const [, count] = (await tx.query(
    `UPDATE customer_call SET customer_id = $2, updated_at = now()
      WHERE workspace_id = $1 AND customer_id = ANY($3::uuid[])`,
    [workspaceId, survivorId, others],
  )) as [unknown, number];
  return count;
}

/** How many calls each customer has (0 for those with none), for the merge preview. */
export async function countCalls(
  tx: EntityManager,
  workspaceId: string,
  customerIds: string[],
): Promise<Map<string, number>> {
  const rows: { customerId: string; n: number }[] =
    customerIds.length === 0
      ? []
      : await tx.query(
          `SELECT customer_id AS "customerId", count(*)::int AS n FROM customer_call
            WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[]) GROUP BY customer_id`,
          [workspaceId, customerIds.filter(isUuid)],
        );
  const counts = new Map(customerIds.map((id) => [id, 0]));
  for (const r of rows) counts.set(r.customerId, r.n);
  return counts;
}
