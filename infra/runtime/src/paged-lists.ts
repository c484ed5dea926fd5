// Per-parent cursor pages in one query: for `orders(first: 10)` on 50 customers, the
// loader asks once for the first 11 rows of each customer (row_number() per parent),
// instead of 50 queries. Used by DataLoader batch functions.
import type { ObjectLiteral, Repository } from 'typeorm';
import type { Connection, Page } from './pagination';
import { toConnection } from './pagination';
import { alignMany } from './loaders';
import { isUuid } from './ids';

export interface PerParentPageQuery<R> {
  /** Column holding the parent's id (e.g. customer_id). */
  parentColumn: string;
  /** Property of the entity holding the parent's id (e.g. customerId). */
  parentOf: (row: R) => string;
  /** The row's value of the page's one sort key (a timestamp column, `newestFirst`). */
  sortKeyOf: (row: R) => Date;
  workspaceId: string;
  parentIds: readonly string[];
  page: Page;
  /** Extra SQL condition on the table (aliased `t`) with its named parameters. */
  filter?: { sql: string; params: ObjectLiteral };
}

export async function findPagesPerParent<R extends ObjectLiteral & { id: string }>(
  repo: Repository<R>,
  q: PerParentPageQuery<R>,
): Promise<Connection<R>[]> {
  const sortColumn = sortColumnOf(q.page);
  // Ids that are not uuids name no parent; they get an empty page.
  const parentIds = q.parentIds.filter(isUuid);
  const rows = parentIds.length > 0 ? await queryPages(repo, q, parentIds, sortColumn) : [];
  return alignMany(q.parentIds, rows, q.parentOf).map((list) =>
    toConnection(list, q.page, (row) => [q.sortKeyOf(row).toISOString()]),
  );
}

/** The one column a per-parent page is ordered by: only newest first is supported. */
function sortColumnOf(page: Page): string {
  const [key, ...more] = page.sort;
  if (!key || more.length > 0 || key.direction !== 'DESC' || key.kind !== 'timestamptz') {
    throw new Error(`${page.list}: per-parent pages are ordered newestFirst(column) only`);
  }
  return key.key;
}

function queryPages<R extends ObjectLiteral & { id: string }>(
  repo: Repository<R>,
  q: PerParentPageQuery<R>,
  parentIds: string[],
  sortColumn: string,
): Promise<R[]> {
  const conditions = [`t.workspace_id = :workspaceId`, `t.${q.parentColumn} = ANY(:parentIds)`];
  const params: ObjectLiteral = {
    workspaceId: q.workspaceId,
    parentIds,
    limit: q.page.first + 1,
    ...q.filter?.params,
  };
  if (q.page.after) {
    conditions.push(`(t.${sortColumn}, t.id) < (:afterKey::timestamptz, :afterId::uuid)`);
    params.afterKey = q.page.after.keys[0];
    params.afterId = q.page.after.id;
  }
  if (q.filter) conditions.push(q.filter.sql);
  const ranked = `
    SELECT ranked.id FROM (
      SELECT t.id, row_number() OVER (
        PARTITION BY t.${q.parentColumn} ORDER BY t.${sortColumn} DESC, t.id DESC
      ) AS rn
      FROM "${repo.metadata.tablePath}" t WHERE ${conditions.join(' AND ')}
    ) ranked WHERE ranked.rn <= :limit`;
  return repo
    .createQueryBuilder('p')
    .where(`p.id IN (${ranked})`, params)
    .orderBy(`p.${sortColumn}`, 'DESC')
    .addOrderBy('p.id', 'DESC')
    .getMany();
}
