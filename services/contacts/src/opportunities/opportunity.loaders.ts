import DataLoader from 'dataloader';
import type { Connection, Page, RequestScope } from '@customer-graph/runtime';
import { alignMany, findPagesPerParent, isUuid, loaderFamily } from '@customer-graph/runtime';
import { OpportunityEntity } from './opportunity.entity';
import type { OpportunityRow, OpportunityStage } from './opportunity.entity';

/** How many stage changes an opportunity shows, the latest ones (the SDL's listSize). */
export const STAGE_HISTORY_SHOWN = 50;

export interface StageChange {
  stage: OpportunityStage;
  at: Date;
  by: string;
}

export interface OpportunityLoaders {
  /** A page of a customer's opportunities, newest first; one query per distinct page. */
  byCustomer: (page: Page) => DataLoader<string, Connection<OpportunityRow>>;
  /** How many opportunities a customer has. */
  countByCustomer: DataLoader<string, number>;
  /** An opportunity's latest stage changes, oldest first. */
  history: DataLoader<string, StageChange[]>;
}

declare module '../context' {
  interface Loaders {
    opportunities: OpportunityLoaders;
  }
}

export function createOpportunityLoaders({ db, workspaceId }: RequestScope): OpportunityLoaders {
  const opportunities = db.getRepository(OpportunityEntity);
  return {
    byCustomer: loaderFamily((page: Page, customerIds: readonly string[]) =>
      findPagesPerParent(opportunities, {
        parentColumn: 'customer_id',
        parentOf: (row) => row.customerId,
        sortKeyOf: (row) => row.createdAt,
        workspaceId,
        parentIds: customerIds,
        page,
      }),
    ),
    countByCustomer: new DataLoader(async (ids) => {
      const rows: { customerId: string; n: number }[] = await db.query(
        `SELECT customer_id AS "customerId", count(*)::int AS n FROM opportunity
          WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[]) GROUP BY customer_id`,
        [workspaceId, ids.filter(isUuid)],
      );
      const byId = new Map(rows.map((r) => [r.customerId, r.n]));
      return ids.map((id) => byId.get(id) ?? 0);
    }),
    history: new DataLoader(async (opportunityIds) => {
      const rows: (StageChange & { opportunityId: string })[] = await db.query(
        `SELECT "opportunityId", stage, at, by FROM (
           SELECT opportunity_id AS "opportunityId", stage, changed_at AS at, changed_by AS by,
                  seq, row_number() OVER (PARTITION BY opportunity_id ORDER BY seq DESC) AS rn
             FROM opportunity_stage_change
            WHERE workspace_id = $1 AND opportunity_id = ANY($2::uuid[])) latest
          WHERE rn <= $3 ORDER BY seq`,
        [workspaceId, opportunityIds.filter(isUuid), STAGE_HISTORY_SHOWN],
      );
      return alignMany(opportunityIds, rows, (r) => r.opportunityId);
    }),
  };
}
