// Rows of contacts' modules that belong to a customer and follow it into a merge: the
// participant registry. Each participant counts its rows per customer (the dry run)
// and moves the merged customers' rows to the survivor (the merge), in the merge's
// transaction, before the merged customers are deleted — a table referring to
// `customer` without a participant would lose its rows with them (ON DELETE CASCADE),
// which test/merge.test.ts checks against the database's foreign keys.
//
// The customer record itself (profile, custom values, group, tags, labels) is merged
// field by field (merge.plan.ts), and its phones and their claims in phone_owner by the
// merge itself (merge.write.ts). Saved lists are filters, not memberships, and views
// belong to users, not customers: neither has rows to move.
//
// A module with rows of its own plugs in with one line below: `rowsOf` for rows that
// just change customer (calls, tasks, opportunities do), or a pair of functions of
// these shapes for rows that need more:
//   count: (tx, workspaceId, customerIds) => Map<customerId, rows>
//   move:  (tx, workspaceId, survivorId, mergedIds) => rows moved
import type { EntityManager } from 'typeorm';

export type CountRows = (
  tx: EntityManager,
  workspaceId: string,
  customerIds: string[],
) => Promise<Map<string, number>>;

export type MoveRows = (
  tx: EntityManager,
  workspaceId: string,
  survivorId: string,
  mergedIds: string[],
) => Promise<number>;

export interface MergeParticipant {
  /** The kind of row, as `MergeMove.part` and the audit's `moved` name it. */
  name: string;
  /** The tables whose rows it moves (each refers to `customer`). */
  tables: string[];
  count: CountRows;
  move: MoveRows;
}

export function participant(
  name: string,
  tables: string[],
  count: CountRows,
  move: MoveRows,
): MergeParticipant {
  return { name, tables, count, move };
}

/** Counting rows by their `customer_id` column. */
export function countByCustomer(table: string): CountRows {
  return async (tx, workspaceId, customerIds) => {
    const rows: { customer_id: string; n: number }[] = await tx.query(
      `SELECT customer_id, count(*)::int AS n FROM ${table}
        WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[]) GROUP BY customer_id`,
      [workspaceId, customerIds],
    );
    return new Map(rows.map((r) => [r.customer_id, r.n]));
  };
}

/** Moving rows by their `customer_id` column (and marking them updated, if they say when). */
export function moveCustomerId(table: string, touch?: 'updated_at'): MoveRows {
  return async (tx, workspaceId, survivorId, mergedIds) => {
    const [, moved] = (await tx.query(
      `UPDATE ${table} SET customer_id = $2${touch ? `, ${touch} = now()` : ''}
        WHERE workspace_id = $1 AND customer_id = ANY($3::uuid[])`,
      [workspaceId, survivorId, mergedIds.filter((id) => id !== survivorId)],
    )) as [unknown, number];
    return moved;
  };
}

/** A table whose rows belong to a customer by `customer_id` and move as they are. */
const rowsOf = (name: string, table: string, touch?: 'updated_at') =>
  participant(name, [table], countByCustomer(table), moveCustomerId(table, touch));

export const MERGE_PARTICIPANTS: readonly MergeParticipant[] = [
  rowsOf('notes', 'customer_note'),
  // Unique per workspace already: a merged customer's id on Zalo or the shop is the
  // survivor's now (a SHOP id makes it a CUSTOMER).
  rowsOf('externalIds', 'customer_external_id'),
  // A moved call stays with the survivor while its number stays the same (call.write.ts).
  rowsOf('calls', 'customer_call', 'updated_at'),
  rowsOf('tasks', 'customer_task', 'updated_at'),
  // Their stage history refers to the opportunity, not the customer: it follows.
  rowsOf('opportunities', 'opportunity', 'updated_at'),
];

/** Every participant's rows per customer, as `{ part, customerId, count }` (zeros left out). */
export async function countMoves(
  tx: EntityManager,
  workspaceId: string,
  customerIds: string[],
): Promise<{ part: string; customerId: string; count: number }[]> {
  const moves = [];
  for (const p of MERGE_PARTICIPANTS) {
    const counts = await p.count(tx, workspaceId, customerIds);
    for (const customerId of customerIds) {
      const count = counts.get(customerId) ?? 0;
      if (count > 0) moves.push({ part: p.name, customerId, count });
    }
  }
  return moves;
}
