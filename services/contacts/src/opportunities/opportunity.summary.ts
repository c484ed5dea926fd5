// pipelineSummary: per stage, in the workspace's order, how many opportunities the
// caller sees that match the filter and their value; and of them, how many were won
// in a period and for how much (by the time they reached WON). One statement: the
// stage order, the rows and the figures together, so they agree with each other.
import type { DataSource } from 'typeorm';
import { badInput } from '@customer-graph/runtime';
import type { CustomerScope } from '@customer-graph/runtime';
import type { OpportunityFilter } from '../generated/graphql';
import type { OpportunityStage } from './opportunity.entity';
import { opportunityFilterSql, opportunityScopeSql } from './opportunity.list';
import type { Param } from './opportunity.list';
import { DEFAULT_STAGE_ORDER } from './opportunity.stages';

export interface PipelineSummary {
  stages: { stage: OpportunityStage; count: number; value: string }[];
  wonCount: number;
  wonValue: string;
}

function instant(value: Date | string | null | undefined): Date | null {
  if (value == null) return null;
  return value instanceof Date ? value : new Date(value);
}

export async function pipelineSummary(
  db: DataSource,
  workspaceId: string,
  scope: CustomerScope,
  filter: OpportunityFilter | null | undefined,
  wonFromArg: Date | string | null | undefined,
  wonToArg: Date | string | null | undefined,
): Promise<PipelineSummary> {
  const wonFrom = instant(wonFromArg);
  const wonTo = instant(wonToArg);
  if (wonFrom && wonTo && wonTo < wonFrom) throw badInput('wonTo', 'wonTo is before wonFrom');
  const params: unknown[] = [workspaceId, DEFAULT_STAGE_ORDER, wonFrom, wonTo];
  const param: Param = (value) => `$${params.push(value)}`;
  const where = [
    'o.workspace_id = $1',
    opportunityScopeSql(scope, 'o', param),
    ...opportunityFilterSql(filter, 'o', param),
  ].join(' AND ');
  const won = `o.stage = 'WON' AND ($3::timestamptz IS NULL OR o.closed_at >= $3)
               AND ($4::timestamptz IS NULL OR o.closed_at < $4)`;
  const rows: {
    stage: OpportunityStage;
    count: number;
    value: string;
    wonCount: number;
    wonValue: string;
  }[] = await db.query(
    `WITH stage_order AS (
         SELECT s.stage, s.pos FROM unnest(COALESCE(
           (SELECT stages FROM opportunity_stage_order WHERE workspace_id = $1), $2::text[]
         )) WITH ORDINALITY AS s(stage, pos)),
       matching AS (SELECT o.stage, o.value, o.closed_at FROM opportunity o WHERE ${where})
       SELECT so.stage, count(o.stage)::int AS count, COALESCE(sum(o.value), 0)::text AS value,
              (sum(count(*) FILTER (WHERE ${won})) OVER ())::int AS "wonCount",
              COALESCE(sum(sum(o.value) FILTER (WHERE ${won})) OVER (), 0)::text AS "wonValue"
         FROM stage_order so LEFT JOIN matching o ON o.stage = so.stage
        GROUP BY so.stage, so.pos ORDER BY so.pos`,
    params,
  );
  return {
    stages: rows.map(({ stage, count, value }) => ({ stage, count, value })),
    wonCount: rows[0]?.wonCount ?? 0,
    wonValue: rows[0]?.wonValue ?? '0',
  };
}
