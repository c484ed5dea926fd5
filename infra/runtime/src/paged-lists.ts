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
  /** Timestamp column the list is ordered by, newest first, with id as tie-break. */
  sortColumn: string;
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
  // Ids that are not uuids name no parent; they get an empty page.
  const parentIds = q.parentIds.filter(isUuid);
  const rows = parentIds.length > 0 ? await queryPages(repo, q, parentIds) : [];
  return alignMany(q.parentIds, rows, q.parentOf).map((list) =>
    toConnection(list, q.page.first, (row) => ({
      sortKey: q.sortKeyOf(row).toISOString(),
      id: row.id,
    })),
  );
}

function queryPages<R extends ObjectLiteral & { id: string }>(
  repo: Repository<R>,
  q: PerParentPageQuery<R>,
  parentIds: string[],
): Promise<R[]> {
  const conditions = [`t.workspace_id = :workspaceId`, `t.${q.parentColumn} = ANY(:parentIds)`];
  const params: ObjectLiteral = {
    workspaceId: q.workspaceId,
    parentIds,
    limit: q.page.first + 1,
    ...q.filter?.params,
  };
  if (q.page.after) {
    conditions.push(`(t.${q.sortColumn}, t.id) < (:afterKey::timestamptz, :afterId::uuid)`);
    params.afterKey = q.page.after.sortKey;
    params.afterId = q.page.after.id;
  }
  if (q.filter) conditions.push(q.filter.sql);
  const ranked = `
    SELECT ranked.id FROM (
      SELECT t.id, row_number() OVER (
        PARTITION BY t.${q.parentColumn} ORDER BY t.${q.sortColumn} DESC, t.id DESC
      ) AS rn
      FROM "${repo.metadata.tablePath}" t WHERE ${conditions.join(' AND ')}
    ) ranked WHERE ranked.rn <= :limit`;
  return repo
    .createQueryBuilder('p')
    .where(`p.id IN (${ranked})`, params)
    .orderBy(`p.${q.sortColumn}`, 'DESC')
    .addOrderBy('p.id', 'DESC')
    .getMany();
}
