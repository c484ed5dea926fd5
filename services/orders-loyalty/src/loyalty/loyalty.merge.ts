// contacts.customer.merged: the merged customers' ledgers become the survivor's: their
// entries move (an order's live EARN follows the order, which orders' handler moves next),
// their balances are added to the survivor's with one MERGE entry, and the tier is
// recomputed. Runs BEFORE orders' handler of the event (the module is listed before
// orders), whose reconciliation of the survivor then finds nothing to change. Exactly
// once: a second delivery finds no balance of the merged customers left.
import { mergeTarget } from '@customer-graph/runtime';
import type { CUSTOMER_MERGED, EventHandler } from '@customer-graph/runtime';
import { insertEntries, lockBalances, saveBalances } from './loyalty.ledger';
import { readProgram } from './loyalty.program';

export const mergeLedgersOnCustomerMerged: EventHandler<typeof CUSTOMER_MERGED> = async (
  tx,
  event,
) => {
  const { workspaceId } = event;
  const survivor = await mergeTarget(tx, event);
  const merged = event.payload.mergedIds.filter((id) => id !== survivor);
  if (merged.length === 0) return;
  // Orders' version rows first, in the order every order write takes them (then balances).
  await tx.query(
    `SELECT 1 FROM customer_order_version WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[])
      ORDER BY customer_id FOR UPDATE`,
    [workspaceId, [survivor, ...merged]],
  );
  // The balances there are, locked in id order (as lockBalances and every writer takes
  // them) before deciding: a balance changing meanwhile is waited for, not missed.
  const held: { id: string }[] = await tx.query(
    `SELECT customer_id AS id FROM loyalty_balance
      WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[]) ORDER BY customer_id FOR UPDATE`,
    [workspaceId, [survivor, ...merged]],
  );
  if (!held.some((b) => b.id !== survivor)) return;
  // A balance exists only under a program; read it once there is work.
  const stored = await readProgram(tx, workspaceId);
  if (!stored) return;
  const balances = await lockBalances(tx, workspaceId, [survivor, ...merged]);
  const target = balances.get(survivor)!;
  let q = 0;
  let r = 0;
  for (const id of merged) {
    q += balances.get(id)?.qualifying ?? 0;
    r += balances.get(id)?.redeemable ?? 0;
  }
  await tx.query(
    `UPDATE loyalty_entry SET customer_id = $2 WHERE workspace_id = $1 AND customer_id = ANY($3::uuid[])`,
    [workspaceId, survivor, merged],
  );
  await tx.query(
    `DELETE FROM loyalty_balance WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[])`,
    [workspaceId, merged],
  );
  target.qualifying += q;
  target.redeemable += r;
  await insertEntries(
    tx,
    workspaceId,
    [
      {
        customerId: survivor,
        kind: 'MERGE',
        person: event.payload.mergedBy,
        reason: `merged ${merged.join(', ')}`,
        qualifyingDelta: q,
        redeemableDelta: r,
        qualifyingAfter: target.qualifying,
        redeemableAfter: target.redeemable,
      },
    ],
    null,
  );
  // Not settled: the moved entries may hold points already due (the sweep takes them).
  await saveBalances(tx, workspaceId, stored.program, stored.revision, [target], false);
};
