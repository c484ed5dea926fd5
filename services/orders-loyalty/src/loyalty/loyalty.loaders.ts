// Per-request loaders of the Loyalty tab: balances of many customers and the program in
// one query, history pages per customer in one query, the next points to expire.
import DataLoader from 'dataloader';
import type { Connection, Page, RequestScope } from '@customer-graph/runtime';
import {
  findPagesPerParent,
  isUuid,
  loaderFamily,
  newestFirst,
  queryPrepared,
} from '@customer-graph/runtime';
import { LoyaltyEntryEntity } from './loyalty.entity';
import type { LoyaltyEntryRow } from './loyalty.entity';
import { readProgram, tierFor } from './loyalty.program';
import type { LoyaltyProgram, LoyaltyTier, StoredProgram } from './loyalty.program';

export const ENTRIES_NEWEST_FIRST = newestFirst('created_at');

export interface TierView extends LoyaltyTier {
  rank: number;
}
export interface LoyaltyView {
  customerId: string;
  qualifying: number;
  redeemable: number;
  program: LoyaltyProgram;
  /** The tier's rank (tierFor), 0 for none. */
  rank: number;
}
export type LoyaltyEntryPage = Connection<LoyaltyEntryRow>;
export interface ReevaluationRow {
  id: string;
  status: string;
  total: number;
  processed: number;
}

export interface LoyaltyLoaders {
  program: () => Promise<StoredProgram | null>;
  /** Null when the workspace has no program. */
  view: DataLoader<string, LoyaltyView | null>;
  history: (page: Page) => DataLoader<string, LoyaltyEntryPage>;
  expiringSoon: DataLoader<string, { points: number; at: Date } | null>;
}

declare module '../context' {
  interface Loaders {
    loyalty: LoyaltyLoaders;
  }
}

export const tierView = (program: LoyaltyProgram, rank: number): TierView | null =>
  rank >= 1 && rank <= program.tiers.length ? { ...program.tiers[rank - 1], rank } : null;

export function createLoyaltyLoaders({ db, workspaceId }: RequestScope): LoyaltyLoaders {
  let programOnce: Promise<StoredProgram | null> | undefined;
  const program = () => (programOnce ??= readProgram(db, workspaceId));
  const entries = db.getRepository(LoyaltyEntryEntity);
  return {
    program,
    view: new DataLoader(async (customerIds) => {
      // The program and the balances in one statement (the program no longer waits
      // for its own round trip first); the program is then this request's.
      const { rows } = await queryPrepared<{
        program: LoyaltyProgram;
        revision: string;
        balances: [string, number, number][] | null;
      }>(
        db,
        `SELECT p.program, p.revision,
                (SELECT json_agg(json_build_array(b.customer_id, b.qualifying, b.redeemable))
                   FROM loyalty_balance b
                  WHERE b.workspace_id = $1 AND b.customer_id = ANY($2::uuid[])) AS balances
           FROM loyalty_program p WHERE p.workspace_id = $1`,
        [workspaceId, customerIds.filter(isUuid)],
      );
      const [row] = rows;
      const stored = row ? { program: row.program, revision: Number(row.revision) } : null;
      programOnce ??= Promise.resolve(stored);
      if (!stored) return customerIds.map(() => null);
      const byId = new Map((row.balances ?? []).map(([id, q, r]) => [id, { q, r }]));
      return customerIds.map((customerId) => {
        const balance = byId.get(customerId);
        const qualifying = Number(balance?.q ?? 0);
        return {
          customerId,
          qualifying,
          redeemable: Number(balance?.r ?? 0),
          program: stored.program,
          // Once per customer, not once per field that shows it.
          rank: tierFor(stored.program, qualifying).rank,
        };
      });
    }),
    history: loaderFamily((page: Page, customerIds: readonly string[]) =>
      findPagesPerParent(entries, {
        parentColumn: 'customer_id',
        parentOf: (row) => row.customerId,
        sortKeyOf: (row) => row.createdAt,
        workspaceId,
        parentIds: customerIds,
        page,
      }),
    ),
    expiringSoon: new DataLoader(async (customerIds) => {
      // First earned, first spent: the credits of a customer by expiry, less all spent.
      const rows: { customerId: string; at: Date; due: string; spent: string }[] = await db.query(
        `SELECT customer_id AS "customerId", expires_at AS at,
                  sum(sum(redeemable_delta) FILTER (WHERE redeemable_delta > 0))
                    OVER (PARTITION BY customer_id ORDER BY expires_at)::text AS due,
                  (SELECT COALESCE(-sum(s.redeemable_delta), 0) FROM loyalty_entry s
                    WHERE s.workspace_id = $1 AND s.customer_id = e.customer_id
                      AND s.redeemable_delta < 0 AND s.kind <> 'MERGE')::text AS spent
             FROM loyalty_entry e
            WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[]) AND expires_at IS NOT NULL
              AND kind <> 'MERGE'
            GROUP BY customer_id, expires_at ORDER BY customer_id, expires_at`,
        [workspaceId, customerIds.filter(isUuid)],
      );
      const now = Date.now();
      const result = new Map<string, { points: number; at: Date }>();
      for (const r of rows) {
        const left = Number(r.due) - Number(r.spent);
        if (result.has(r.customerId) || r.at.getTime() <= now || left <= 0) continue;
        result.set(r.customerId, { points: left, at: r.at });
      }
      return customerIds.map((id) => result.get(id) ?? null);
    }),
  };
}

export { tierFor };
