// callStats: call figures over the calls of a filter the caller may see
// (call.filter.ts), grouped by one key and then by up to two more (`thenBy`), in one
// grouped statement (the runtime's stats.ts, as every figure of docs/analytics.md). A
// call counts as answered when its result is ANSWERED, as missed when it ended with
// any other; one in progress counts only in `count`. The answer rate is over the calls
// that ended. Days and months are Vietnam time.
import type { DataSource } from 'typeorm';
import {
  MAX_GROUP_KEYS,
  badInput,
  checkGroupBy,
  dayKey,
  groupedStatsSql,
  readGroups,
} from '@customer-graph/runtime';
import type { CustomerScope, StatsKey, StatsKeyValue } from '@customer-graph/runtime';
import type { CallFilter, CallStatsGroup } from '../generated/graphql';
import { callFilterSql, callScopeSql } from './call.filter';

export interface CallStatsRow {
  keys: StatsKeyValue<CallStatsGroup>[];
  staff: string | null;
  day: string | null;
  count: number;
  answered: number;
  missed: number;
  answerRate: number | null;
  talkTime: number;
}

const KEYS: Record<CallStatsGroup, StatsKey> = {
  STAFF: { group: 'c.staff' },
  DAY: dayKey('c.started_at', 'day'),
  MONTH: dayKey('c.started_at', 'month'),
  DIRECTION: { group: 'c.direction' },
  RESULT: { group: 'c.result' },
  HOTLINE: { group: 'c.hotline' },
};

/** `groupBy` then `thenBy`, checked: at most three keys, none twice (named on `thenBy`). */
export function callStatsKeys(
  groupBy: CallStatsGroup,
  thenBy: readonly CallStatsGroup[] | null | undefined,
): CallStatsGroup[] {
  const more = checkGroupBy(thenBy, 'thenBy', MAX_GROUP_KEYS - 1);
  const again = more.indexOf(groupBy);
  if (again >= 0) throw badInput(`thenBy[${again}]`, `${groupBy} is given twice`);
  return [groupBy, ...more];
}

export async function callStats(
  db: DataSource,
  workspaceId: string,
  scope: CustomerScope,
  filter: CallFilter | null | undefined,
  groupBy: readonly CallStatsGroup[],
): Promise<CallStatsRow[]> {
  const params: unknown[] = [workspaceId];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = [
    'c.workspace_id = $1',
    callScopeSql(scope, 'c', param),
    ...callFilterSql(filter, 'c', param),
  ];
  const sql = groupedStatsSql({
    from: 'customer_call c',
    where: where.join(' AND '),
    keys: groupBy.map((key) => KEYS[key]),
    figures: {
      count: 'count(*)::int',
      answered: `(count(*) FILTER (WHERE c.result = 'ANSWERED'))::int`,
      missed: `(count(*) FILTER (WHERE c.result <> 'ANSWERED'))::int`,
      talkTime: 'COALESCE(sum(c.talk_seconds), 0)::int',
    },
  });
  type Figures = { count: number; answered: number; missed: number; talkTime: number };
  const groups = readGroups<CallStatsGroup, Figures>(
    await db.query(sql, params),
    groupBy,
    'narrow filter.startedFrom and filter.startedTo',
  );
  const valueOf = (keys: StatsKeyValue<CallStatsGroup>[], key: CallStatsGroup) =>
    keys.find((k) => k.key === key)?.value ?? null;
  return groups.map((g) => ({
    ...g,
    staff: valueOf(g.keys, 'STAFF'),
    day: valueOf(g.keys, 'DAY'),
    answerRate: g.answered + g.missed > 0 ? g.answered / (g.answered + g.missed) : null,
  }));
}
