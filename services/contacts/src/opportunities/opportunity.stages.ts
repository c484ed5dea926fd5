// The workspace's order of the stages (a setting: admins set it, everyone reads it).
// The open stages may come in any order; WON and LOST are terminal and always last.
// Without a setting the order is OPPORTUNITY_STAGES. The order is what the pipeline
// summary and the board follow; moves between open stages go either way.
import type { DataSource, EntityManager } from 'typeorm';
import { badInput } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { OPPORTUNITY_STAGES, TERMINAL_STAGES } from './opportunity.entity';
import type { OpportunityStage } from './opportunity.entity';

export const DEFAULT_STAGE_ORDER: readonly OpportunityStage[] = OPPORTUNITY_STAGES;

export async function stageOrder(
  db: DataSource | EntityManager,
  workspaceId: string,
): Promise<OpportunityStage[]> {
  const [row] = await db.query(
    'SELECT stages FROM opportunity_stage_order WHERE workspace_id = $1',
    [workspaceId],
  );
  return row ? row.stages : [...DEFAULT_STAGE_ORDER];
}

/** Refuses anything but every stage once, with the terminal ones last. */
export function checkStageOrder(stages: readonly OpportunityStage[], field: string) {
  const missing = OPPORTUNITY_STAGES.filter((s) => !stages.includes(s));
  if (missing.length > 0 || stages.length !== OPPORTUNITY_STAGES.length) {
    throw badInput(
      field,
      `give every stage once (${OPPORTUNITY_STAGES.join(', ')})` +
        (missing.length ? `; missing ${missing.join(', ')}` : ''),
    );
  }
  const tail = stages.slice(-TERMINAL_STAGES.length);
  if (!TERMINAL_STAGES.every((s) => tail.includes(s))) {
    throw badInput(field, 'WON and LOST are terminal: they come last');
  }
}

export async function setStageOrder(
  db: DataSource,
  identity: Identity,
  stages: readonly OpportunityStage[],
): Promise<OpportunityStage[]> {
  checkStageOrder(stages, 'stages');
  await db.query(
    `INSERT INTO opportunity_stage_order (workspace_id, stages, updated_by) VALUES ($1, $2, $3)
     ON CONFLICT (workspace_id)
       DO UPDATE SET stages = EXCLUDED.stages, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [identity.workspaceId, stages, identity.userId],
  );
  return [...stages];
}
