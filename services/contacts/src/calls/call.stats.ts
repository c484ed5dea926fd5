// callStats: call figures per staff member or per day in Vietnam time, over the calls
// of a filter the caller may see (call.filter.ts), in one grouped statement. A call
// counts as answered when its result is ANSWERED, as missed when it ended with any
// other; one in progress counts only in `count`. The answer rate is over the calls
// that ended.
import type { DataSource } from 'typeorm';
import { badInput } from '@customer-graph/runtime';
import type { CustomerScope } from '@customer-graph/runtime';
import type { CallFilter, CallStatsGroup } from '../generated/graphql';
import { callFilterSql, callScopeSql } from './call.filter';

/** The most groups one answer holds: a year of days. */
export const MAX_STATS_GROUPS = 366;
/** Days are the seller's: Vietnam has one zone and no daylight saving. */
export const STATS_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export interface CallStatsRow {
  staff: string | null;
  day: string | null;
  count: number;
  answered: number;
  missed: number;
  answerRate: number | null;
  talkTime: number;
}

const KEYS: Record<CallStatsGroup, string> = {
  STAFF: 'c.staff',
  DAY: `to_char(c.started_at AT TIME ZONE '${STATS_TIME_ZONE}', 'YYYY-MM-DD')`,
};

export async function callStats(
  db: DataSource,
  workspaceId: string,
  scope: CustomerScope,
  filter: CallFilter | null | undefined,
  groupBy: CallStatsGroup,
): Promise<CallStatsRow[]> {
  const params: unknown[] = [workspaceId];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = [
    'c.workspace_id = $1',
    callScopeSql(scope, 'c', param),
    ...callFilterSql(filter, 'c', param),
  ];
  const rows: {
    key: string | null;
    count: number;
    answered: number;
    missed: number;
    talk: number;
  }[] = await db.query(
    `SELECT ${KEYS[groupBy]} AS key, count(*)::int AS count,
              (count(*) FILTER (WHERE c.result = 'ANSWERED'))::int AS answered,
              (count(*) FILTER (WHERE c.result <> 'ANSWERED'))::int AS missed,
              COALESCE(sum(c.talk_seconds), 0)::int AS talk
         FROM customer_call c WHERE ${where.join(' AND ')}
        GROUP BY 1 ORDER BY 1 NULLS LAST LIMIT ${MAX_STATS_GROUPS + 1}`,
    params,
  );
  if (rows.length > MAX_STATS_GROUPS) {
    throw badInput(
      'filter',
      `more than ${MAX_STATS_GROUPS} groups: narrow filter.startedFrom and filter.startedTo`,
    );
  }
  return rows.map((r) => ({
    staff: groupBy === 'STAFF' ? r.key : null,
    day: groupBy === 'DAY' ? r.key : null,
    count: r.count,
    answered: r.answered,
    missed: r.missed,
    answerRate: r.answered + r.missed > 0 ? r.answered / (r.answered + r.missed) : null,
    talkTime: r.talk,
  }));
}
