// Whose number a phone is, for the orders module (an order arrives with a phone).
import type { DataSource, EntityManager } from 'typeorm';

/**
 * The customer holding each of `e164s` in the workspace (numbers nobody holds are
 * absent). When contacts lets two customers hold one number, the one seen with it
 * first answers (contacts' phone_owner keeps the first claimer too); ties by id.
 */
export async function customerByPhone(
  db: DataSource | EntityManager,
  workspaceId: string,
  e164s: readonly string[],
): Promise<Map<string, string>> {
  if (e164s.length === 0) return new Map();
  const rows: { e164: string; customer_id: string }[] = await db.query(
    `SELECT DISTINCT ON (e164) e164, customer_id FROM phone_directory
      WHERE workspace_id = $1 AND e164 = ANY($2::text[])
      ORDER BY e164, occurred_at, customer_id`,
    [workspaceId, [...new Set(e164s)]],
  );
  return new Map(rows.map((r) => [r.e164, r.customer_id]));
}
