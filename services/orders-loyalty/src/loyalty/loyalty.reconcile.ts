// Per-customer reconciliation (docs/loyalty.md): after the orders of some customers
// changed, compute what the ledger should hold for each of their orders (earned or not,
// and how much) and write only the differences: a REVERSE for a live EARN whose order no
// longer earns it (cancelled, returned, moved, or the earn rule changed), an EARN for an
// order that should earn and has no live EARN. Due points expire first (EXPIRE), first
// earned first spent. Called in the transaction of every change to orders, beside
// publishSummaries (orders/order.summary-events.ts), and by the program's re-evaluation.
// Idempotent: a second call with nothing changed writes nothing. At most one live EARN per
// order (unique index), so a redelivery or completed → returned → completed never earns twice.
import type { EntityManager } from 'typeorm';
import { isUuid } from '@customer-graph/runtime';
import { IN_WINDOW, insertEntries, lockBalances, saveBalances } from './loyalty.ledger';
import type { BalanceState, NewEntry } from './loyalty.ledger';
import { basePoints, readProgram, tierFor } from './loyalty.program';
import type { StoredProgram } from './loyalty.program';

interface Earning {
  orderId: string;
  customerId: string;
  total: string;
  orderedAt: Date;
  inWindow: boolean;
}
interface LiveEarn {
  id: string;
  orderId: string;
  customerId: string;
  q: string;
  r: string;
  windowAt: Date;
  inWindow: boolean;
}
interface Sums {
  customerId: string;
  due: string;
  spent: string;
  windowed: string;
}

const LIVE_COLUMNS = `e.id, e.order_id AS "orderId", e.customer_id AS "customerId",
  e.qualifying_delta::text AS q, e.redeemable_delta::text AS r, e.window_at AS "windowAt",
  ${IN_WINDOW('e.window_at')} AS "inWindow"`;

/** Sums that exclude MERGE (a summary of entries that moved with the customers). */
const SUMS_SQL = `
  SELECT customer_id AS "customerId",
         COALESCE(sum(redeemable_delta) FILTER (WHERE redeemable_delta > 0 AND expires_at <= now()), 0)::text AS due,
         COALESCE(-sum(redeemable_delta) FILTER (WHERE redeemable_delta < 0), 0)::text AS spent,
         COALESCE(sum(qualifying_delta) FILTER (WHERE ${IN_WINDOW('window_at')}), 0)::text AS windowed
    FROM loyalty_entry
   WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[]) AND kind <> 'MERGE'
   GROUP BY customer_id`;

export async function reconcileLoyalty(
  tx: EntityManager,
  workspaceId: string,
  customerIds: Iterable<string | null | undefined>,
  stored?: StoredProgram | null,
): Promise<void> {
  const ids = [...new Set(customerIds)].filter((id): id is string => !!id && isUuid(id));
  if (ids.length === 0) return;
  const current = stored === undefined ? await readProgram(tx, workspaceId) : stored;
  if (!current) return;
  const { program, revision } = current;
  const balances = await lockBalances(tx, workspaceId, ids);
  // One after the other: a transaction's connection runs one statement at a time.
  const earnings: Earning[] = await tx.query(
    `SELECT id AS "orderId", customer_id AS "customerId", total::text, ordered_at AS "orderedAt",
              ${IN_WINDOW('ordered_at')} AS "inWindow"
         FROM customer_order
        WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[]) AND status = 'COMPLETED'
          AND source = ANY($3::text[]) AND NOT details_pending`,
    [workspaceId, ids, program.earn.sources],
  );
  // The customers' live EARNs, and those of their orders (an order moved here keeps its
  // EARN on the customer it had): two index lookups (loyalty_entry_live_earn_customer,
  // loyalty_entry_live_earn), not one OR that scans every live EARN of the workspace.
  const live: LiveEarn[] = await tx.query(
    `SELECT ${LIVE_COLUMNS} FROM loyalty_entry e
      WHERE e.workspace_id = $1 AND e.customer_id = ANY($2::uuid[]) AND e.kind = 'EARN' AND e.live
     UNION
     SELECT ${LIVE_COLUMNS} FROM customer_order o
       JOIN loyalty_entry e
         ON e.workspace_id = $1 AND e.order_id = o.id AND e.kind = 'EARN' AND e.live
      WHERE o.workspace_id = $1 AND o.customer_id = ANY($2::uuid[])`,
    [workspaceId, ids],
  );
  const sums: Sums[] = await tx.query(SUMS_SQL, [workspaceId, ids]);
  const wanted = new Map(earnings.map((e) => [e.orderId, e]));
  const sumsOf = new Map(sums.map((s) => [s.customerId, s]));
  const entries: NewEntry[] = [];
  const reversed: string[] = [];
  const earned = new Set<string>();
  const rolling = program.tierPeriod === 'ROLLING_12_MONTHS';
  const windowDelta = (inWindow: boolean, q: number) => (!rolling || inWindow ? q : 0);
  const byCustomer = new Map<string, LiveEarn[]>();
  for (const e of live) {
    // A live EARN of a customer outside this set (its balance not locked) stays as it is.
    if (!balances.has(e.customerId)) {
      earned.add(e.orderId);
      continue;
    }
    const list = byCustomer.get(e.customerId);
    if (list) list.push(e);
    else byCustomer.set(e.customerId, [e]);
  }
  for (const state of balances.values()) {
    const s = sumsOf.get(state.customerId);
    if (rolling) state.qualifying = Number(s?.windowed ?? 0);
    // 1. Expiry: due credits not yet covered by what was spent (first earned, first spent).
    const expire = Math.min(
      state.redeemable,
      Math.max(0, Number(s?.due ?? 0) - Number(s?.spent ?? 0)),
    );
    if (expire > 0) {
      state.redeemable -= expire;
      entries.push(entry(state, 'EXPIRE', 0, -expire, { reason: 'points expired' }));
    }
    // 2. Live EARNs that no longer hold.
    for (const e of byCustomer.get(state.customerId) ?? []) {
      const w = wanted.get(e.orderId);
      if (
        w &&
        w.customerId === e.customerId &&
        basePoints(program, Number(w.total)) === Number(e.q)
      ) {
        earned.add(e.orderId);
        continue;
      }
      const q = windowDelta(e.inWindow, Number(e.q));
      const r = Math.min(state.redeemable, Number(e.r));
      state.qualifying = Math.max(0, state.qualifying - q);
      state.redeemable -= r;
      reversed.push(e.id);
      entries.push(
        entry(state, 'REVERSE', -Number(e.q), -r, { orderId: e.orderId, windowAt: e.windowAt }),
      );
    }
  }
  // 3. Orders that should earn and have no live EARN.
  for (const w of earnings) {
    if (earned.has(w.orderId)) continue;
    const state = balances.get(w.customerId)!;
    const q = basePoints(program, Number(w.total));
    if (q <= 0) continue;
    const multiplier = tierFor(program, state.qualifying).tier?.multiplier ?? 1;
    const r = Math.floor(q * multiplier);
    state.qualifying += windowDelta(w.inWindow, q);
    state.redeemable += r;
    entries.push(
      entry(state, 'EARN', q, r, { orderId: w.orderId, live: true, windowAt: w.orderedAt }),
    );
  }
  if (reversed.length > 0) {
    await tx.query(
      `UPDATE loyalty_entry SET live = false WHERE workspace_id = $1 AND id = ANY($2::uuid[])`,
      [workspaceId, reversed],
    );
  }
  await insertEntries(tx, workspaceId, entries, program.expiryMonths);
  // Tiers are checked for every customer of the set (a program change renames or moves them).
  await saveBalances(tx, workspaceId, program, revision, [...balances.values()]);
}

function entry(
  state: BalanceState,
  kind: NewEntry['kind'],
  q: number,
  r: number,
  more: Partial<NewEntry>,
): NewEntry {
  return {
    customerId: state.customerId,
    kind,
    qualifyingDelta: q,
    redeemableDelta: r,
    qualifyingAfter: state.qualifying,
    redeemableAfter: state.redeemable,
    ...more,
  };
}
