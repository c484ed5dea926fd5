import {
  MAX_STATS_GROUPS,
  checkGroupBy,
  dayKey,
  groupedStatsSql,
  hashedManyValuedKey,
  keptDayKey,
  manyValuedKey,
  readGroups,
} from './stats';
import { thrownBy } from './testing/errors';

const codeOf = (fn: () => unknown) => thrownBy(fn).extensions;

describe('checkGroupBy', () => {
  it('takes up to three keys, none twice, and no key at all', () => {
    expect(checkGroupBy(['A', 'B', 'C'])).toEqual(['A', 'B', 'C']);
    expect(checkGroupBy([])).toEqual([]);
    expect(checkGroupBy(null)).toEqual([]);
  });

  it('refuses a fourth key, or one twice, naming where', () => {
    expect(codeOf(() => checkGroupBy(['A', 'B', 'C', 'D']))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'groupBy',
      limit: 3,
      actual: 4,
    });
    expect(codeOf(() => checkGroupBy(['A', 'B', 'A']))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'groupBy[2]',
    });
  });
});

describe('groupedStatsSql', () => {
  it('groups on the raw keys, shows them as text, orders them nulls last and bounds the rows', () => {
    const sql = groupedStatsSql({
      from: 'customer c',
      where: 'c.workspace_id = $1',
      keys: [{ group: 'c.city' }, dayKey('c.created_at', 'month'), manyValuedKey('c.tags')],
      figures: { count: 'count(*)::int' },
    }).replace(/\s+/g, ' ');
    expect(sql).toContain('SELECT (g.r0)::text AS k0');
    expect(sql).toContain(`(to_char(g.r1, 'YYYY-MM'))::text AS k1`);
    expect(sql).toContain(
      `date_trunc('month', c.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS r1`,
    );
    expect(sql).toContain('CROSS JOIN LATERAL unnest(');
    expect(sql).toContain('GROUP BY 1, 2, 3');
    expect(sql).toContain('ORDER BY g.r0 NULLS LAST, g.r1 NULLS LAST, g.r2 NULLS LAST');
    expect(sql).toContain(`LIMIT ${MAX_STATS_GROUPS + 1}`);
  });

  it('groups a kept day or month column as it is, shown as dayKey shows it', () => {
    const sql = groupedStatsSql({
      from: 'customer c',
      where: 'c.workspace_id = $1',
      keys: [keptDayKey('c.created_month', 'month'), keptDayKey('c.created_day', 'day')],
      figures: { count: 'count(*)::int' },
    }).replace(/\s+/g, ' ');
    expect(sql).toContain('c.created_month AS r0, c.created_day AS r1');
    expect(sql).toContain(`(to_char(g.r0, 'YYYY-MM'))::text AS k0`);
    expect(sql).toContain(`(to_char(g.r1, 'YYYY-MM-DD'))::text AS k1`);
  });

  it('groups a hashed many-valued key by its hashes and takes the values from a row of the group', () => {
    const q = {
      from: 'customer c',
      where: 'c.workspace_id = $1',
      keys: [hashedManyValuedKey('c.tag_hashes', 'r.tags'), { group: 'c.city' }],
      figures: { count: 'count(*)::int' },
    };
    expect(() => groupedStatsSql(q)).toThrow('a hashed key needs a representative');
    const sql = groupedStatsSql({
      ...q,
      representative: { table: 'customer', id: 'c.id' },
    }).replace(/\s+/g, ' ');
    expect(sql).toContain(
      'SELECT c.tag_hashes AS r0, c.city AS r1, count(*)::int AS "count", any_value(c.id) AS rep',
    );
    expect(sql).toContain('FROM (SELECT');
    expect(sql).toContain(
      ') a JOIN customer r ON r.workspace_id = $1 AND r.id = a.rep CROSS JOIN LATERAL unnest(CASE WHEN cardinality(r.tags) > 0 THEN r.tags',
    );
    expect(sql).toContain('SELECT u0.v AS r0, a.r1, sum(a."count")::int AS "count"');
  });

  it('refuses a many-valued key beside figures that are not counts (they would not add up)', () => {
    expect(() =>
      groupedStatsSql({
        from: 'customer c',
        where: 'c.workspace_id = $1',
        keys: [manyValuedKey('c.tags')],
        figures: { count: 'count(*)::int', revenue: 'sum(o.total)::text' },
      }),
    ).toThrow('a many-valued key takes counts only, not revenue');
  });

  it('without a key, is the one whole group', () => {
    const sql = groupedStatsSql({
      from: 'customer c',
      where: 'c.workspace_id = $1',
      keys: [],
      figures: { count: 'count(*)::int' },
    });
    expect(sql).not.toContain('GROUP BY');
    expect(sql).not.toContain('ORDER BY');
  });
});

describe('readGroups', () => {
  it('pairs each value with its key, in the order asked for, and keeps the figures', () => {
    expect(readGroups([{ k0: 'LEAD', k1: null, count: 3 }], ['TYPE', 'CITY'], 'narrow')).toEqual([
      {
        keys: [
          { key: 'TYPE', value: 'LEAD' },
          { key: 'CITY', value: null },
        ],
        count: 3,
      },
    ]);
  });

  it('refuses more groups than an answer holds rather than cutting it', () => {
    const rows = Array.from({ length: MAX_STATS_GROUPS + 1 }, (_, i) => ({ k0: String(i), n: 1 }));
    expect(codeOf(() => readGroups(rows, ['CITY'], 'narrow the filter'))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter',
      limit: MAX_STATS_GROUPS,
    });
  });
});
