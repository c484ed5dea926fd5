// customer.opted_out_channels from the consent rows: the channels a customer is opted
// out of, their own rows and those of every customer merged into them (a merged
// customer's opt-out is the survivor's: the union). Sorted (byte order) and distinct.
// Written only where it changes; updated_at ("the record last changed") does not move:
// consent is marketing's, not the record's.
import type { EntityManager } from 'typeorm';

export interface CustomerKey {
  workspaceId: string;
  customerId: string;
}

/**
 * Recomputes the column of the customers these ids name now (a merged id names its
 * survivor); returns each updated customer's channels by id.
 */
export async function refreshOptedOut(
  tx: EntityManager,
  keys: readonly CustomerKey[],
): Promise<Map<string, string[]>> {
  if (keys.length === 0) return new Map();
  // An UPDATE … RETURNING answers [rows, affected count].
  const [rows] = (await tx.query(
    `WITH asked AS (
       SELECT DISTINCT u.ws, COALESCE(m.survivor_id, u.id) AS id
         FROM unnest($1::text[], $2::uuid[]) AS u(ws, id)
         LEFT JOIN customer_merge m ON m.workspace_id = u.ws AND m.merged_id = u.id
     ), now AS (
       SELECT a.ws, a.id, COALESCE((
         SELECT array_agg(DISTINCT k.channel COLLATE "C" ORDER BY k.channel COLLATE "C")
           FROM customer_channel_consent k
          WHERE k.workspace_id = a.ws AND k.opted_out
            AND (k.customer_id = a.id OR k.customer_id IN (
                  SELECT m.merged_id FROM customer_merge m
                   WHERE m.workspace_id = a.ws AND m.survivor_id = a.id))
       ), '{}') AS channels
         FROM asked a
     )
     UPDATE customer c SET opted_out_channels = now.channels
       FROM now
      WHERE c.workspace_id = now.ws AND c.id = now.id
        AND c.opted_out_channels IS DISTINCT FROM now.channels
      RETURNING c.id, c.opted_out_channels AS channels`,
    [keys.map((k) => k.workspaceId), keys.map((k) => k.customerId)],
  )) as [{ id: string; channels: string[] }[], number];
  return new Map(rows.map((r) => [r.id, r.channels]));
}
