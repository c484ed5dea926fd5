// Merged customers are deleted, but their ids keep naming someone: customer_merge maps
// each to the customer it was merged into, re-pointed when that one is merged in turn
// (A → B, then B → C: A → C), so one lookup gives the customer an id names now. The
// customer loaders use it (`customer(id:)` and `_entities` of a merged id answer the
// survivor), and a merge naming a merged id is refused by it.
import type { DataSource, EntityManager } from 'typeorm';
import { isUuid } from '@customer-graph/runtime';

/** Merged ids among `ids` → the customer each names now; ids never merged are absent. */
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
