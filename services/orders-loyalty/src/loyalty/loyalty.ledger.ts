// The ledger's writing half, shared by reconciliation, redemptions, adjustments and
// merges: lock the customers' balance rows (in id order), append entries with the
// balances after each, save the balances and, when a tier changed, publish
// orders.customer.tier-changed (versioned per customer) through the outbox.
import type { EntityManager } from 'typeorm';
import { CUSTOMER_TIER_CHANGED, appendEvents, createEvent, isUuid } from '@customer-graph/runtime';
import type { CustomerTierChangedPayload } from '@customer-graph/runtime';
import { tierFor } from './loyalty.program';
import type { LoyaltyProgram } from './loyalty.program';

/**
 * An entry counts in the rolling tier period while this holds: one expression for the
 * reconciliation's sums and for the sweep's due time (refreshDueAt), so a sweep finds a
 * customer exactly when the window has moved past one of their counted entries.
 */
export const IN_WINDOW = (column: string) => `${column} + interval '12 months' > now()`;

export type EntryKind = 'EARN' | 'REVERSE' | 'REDEEM' | 'ADJUST' | 'EXPIRE' | 'MERGE';

export interface BalanceState {
  customerId: string;
  qualifying: number;
  redeemable: number;
  tierRank: number;
  tierName: string | null;
  version: number;
}

export interface NewEntry {
  customerId: string;
  kind: EntryKind;
  orderId?: string | null;
  person?: string | null;
  reason?: string | null;
  qualifyingDelta: number;
  redeemableDelta: number;
  qualifyingAfter: number;
  redeemableAfter: number;
  live?: boolean;
  /** The time the entry counts for in a rolling tier period (an EARN: its order's date). */
  windowAt?: Date | null;
}

/** Creates missing balance rows and locks all of them, in id order. */
export async function lockBalances(
  tx: EntityManager,
  workspaceId: string,
  customerIds: Iterable<string>,
): Promise<Map<string, BalanceState>> {
  const ids = [...new Set(customerIds)].filter(isUuid).sort();
  if (ids.length === 0) return new Map();
  await tx.query(
    `INSERT INTO loyalty_balance (workspace_id, customer_id)
     SELECT $1, c.id FROM unnest($2::uuid[]) AS c(id) ORDER BY c.id
     ON CONFLICT DO NOTHING`,
    [workspaceId, ids],
  );
  const rows: {
    customerId: string;
    qualifying: string;
    redeemable: string;
    tierRank: number | null;
    tierName: string | null;
    version: string;
  }[] = await tx.query(
    `SELECT customer_id AS "customerId", qualifying, redeemable, tier_rank AS "tierRank",
            tier_name AS "tierName", version
       FROM loyalty_balance WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[])
      ORDER BY customer_id FOR UPDATE`,
    [workspaceId, ids],
  );
  return new Map(
    rows.map((r) => [
      r.customerId,
      {
        customerId: r.customerId,
        qualifying: Number(r.qualifying),
        redeemable: Number(r.redeemable),
        tierRank: r.tierRank ?? 0,
        tierName: r.tierName,
        version: Number(r.version),
      },
    ]),
  );
}

/** Appends entries in one statement; a positive redeemable delta expires after the program's months. */
export async function insertEntries(
  tx: EntityManager,
  workspaceId: string,
  entries: readonly NewEntry[],
  expiryMonths: number | null,
): Promise<void> {
  if (entries.length === 0) return;
  const col = <T>(f: (e: NewEntry) => T) => entries.map(f);
  await tx.query(
    `INSERT INTO loyalty_entry (workspace_id, customer_id, kind, order_id, person, reason,
       qualifying_delta, redeemable_delta, qualifying_after, redeemable_after, live, window_at,
       expires_at, created_at)
     SELECT $1, e.customer_id, e.kind, e.order_id, e.person, e.reason, e.q, e.r, e.qa, e.ra,
            e.live, COALESCE(e.window_at, clock_timestamp()),
            CASE WHEN $14::int IS NULL OR e.r <= 0 OR e.kind = 'MERGE' THEN NULL
                 ELSE clock_timestamp() + make_interval(months => $14::int) END,
            clock_timestamp() + e.n * interval '1 microsecond'
       FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::bigint[],
                   $8::bigint[], $9::bigint[], $10::bigint[], $11::bool[], $12::timestamptz[],
                   $13::int[])
         AS e(customer_id, kind, order_id, person, reason, q, r, qa, ra, live, window_at, n)`,
    [
      workspaceId,
      col((e) => e.customerId),
      col((e) => e.kind),
      col((e) => e.orderId ?? null),
      col((e) => e.person ?? null),
      col((e) => e.reason ?? null),
      col((e) => e.qualifyingDelta),
      col((e) => e.redeemableDelta),
      col((e) => e.qualifyingAfter),
      col((e) => e.redeemableAfter),
      col((e) => e.live ?? false),
      col((e) => e.windowAt ?? null),
      entries.map((_e, i) => i),
      expiryMonths,
    ],
  );
}

/**
 * Saves the balances (tiers by the program), sets their sweep due time (refreshDueAt),
 * and publishes the tier of each customer whose tier changed, its version bumped.
 * `settled`: the customers were just reconciled (nothing past is still due); a merge,
 * which moves entries without reconciling, passes false.
 */
export async function saveBalances(
  tx: EntityManager,
  workspaceId: string,
  program: LoyaltyProgram,
  revision: number,
  states: readonly BalanceState[],
  settled = true,
): Promise<void> {
  if (states.length === 0) return;
  const events: CustomerTierChangedPayload[] = [];
  for (const s of states) {
    const { rank, tier } = tierFor(program, s.qualifying);
    const name = tier?.name ?? null;
    if (rank !== s.tierRank || name !== s.tierName) {
      s.tierRank = rank;
      s.tierName = name;
      s.version += 1;
      events.push({
        customerId: s.customerId,
        version: s.version,
        tierRank: rank,
        tierName: name,
        qualifyingPoints: s.qualifying,
      });
    }
  }
  await tx.query(
    `UPDATE loyalty_balance b
        SET qualifying = s.q, redeemable = s.r, tier_rank = s.rank, tier_name = s.name,
            version = s.version, revision = $7
       FROM unnest($2::uuid[], $3::bigint[], $4::bigint[], $5::int[], $6::text[], $8::bigint[])
         AS s(id, q, r, rank, name, version)
      WHERE b.workspace_id = $1 AND b.customer_id = s.id`,
    [
      workspaceId,
      states.map((s) => s.customerId),
      states.map((s) => s.qualifying),
      states.map((s) => s.redeemable),
      states.map((s) => s.tierRank),
      states.map((s) => s.tierName),
      revision,
      states.map((s) => s.version),
    ],
  );
  await refreshDueAt(
    tx,
    workspaceId,
    states.map((s) => s.customerId),
    program.tierPeriod === 'ROLLING_12_MONTHS',
    settled,
  );
  await appendEvents(
    tx,
    events.map((payload) =>
      createEvent({ type: CUSTOMER_TIER_CHANGED, workspaceId, key: payload.customerId, payload }),
    ),
  );
}

/**
 * The sweep's due time of each customer (loyalty_balance.due_at, loyalty.sweep.ts): the
 * earliest time a reconciliation would change their balance with no new order: a
 * redeemable credit expiring (while anything is redeemable), or, in a rolling period, a
 * counted qualifying entry leaving the window. Once settled, only future times count;
 * otherwise past ones too (they may not have been applied). NULL: nothing will fall due.
 */
export async function refreshDueAt(
  tx: EntityManager,
  workspaceId: string,
  customerIds: readonly string[],
  rolling: boolean,
  settled: boolean,
): Promise<void> {
  if (customerIds.length === 0) return;
  await tx.query(
    `UPDATE loyalty_balance b SET due_at = (
       SELECT LEAST(
                CASE WHEN b.redeemable > 0 THEN min(e.expires_at)
                  FILTER (WHERE e.redeemable_delta > 0 AND (NOT $4::boolean OR e.expires_at > now())) END,
                CASE WHEN $3::boolean THEN min(e.window_at + interval '12 months')
                  FILTER (WHERE e.qualifying_delta <> 0 AND (NOT $4::boolean OR ${IN_WINDOW('e.window_at')})) END)
         FROM loyalty_entry e
        WHERE e.workspace_id = $1 AND e.customer_id = b.customer_id AND e.kind <> 'MERGE')
      WHERE b.workspace_id = $1 AND b.customer_id = ANY($2::uuid[])`,
    [workspaceId, customerIds, rolling, settled],
  );
}
