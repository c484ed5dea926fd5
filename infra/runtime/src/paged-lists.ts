// Per-parent cursor pages in one query: for `orders(first: 10)` on 50 customers, the
// loader asks once for the first 11 rows of each customer (a LATERAL index scan per
// parent), instead of 50 queries. Used by DataLoader batch functions.
import type { EntityMetadata, ObjectLiteral, Repository } from 'typeorm';
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

/** A table's columns as `t."column" AS "c<i>"`, once per entity (their order is hydrate's). */
const selectLists = new WeakMap<EntityMetadata, string>();
function selectList(meta: EntityMetadata): string {
  let list = selectLists.get(meta);
  if (!list) {
    list = meta.columns.map((c, i) => `t."${c.databaseName}" AS "c${i}"`).join(', ');
    selectLists.set(meta, list);
  }
  return list;
}

/**
 * A raw row as the entity TypeORM's getMany would give (its driver's conversions and
 * the columns' transformers applied), without its query builder and result transformer,
 * which cost more CPU than the query itself on a page of 20 customers' tabs (bench:page).
 */
function hydrate<R extends ObjectLiteral>(repo: Repository<R>, raw: ObjectLiteral): R {
  const entity = {} as R;
  const { driver } = repo.manager.connection;
  repo.metadata.columns.forEach((column, i) =>
    column.setEntityValue(entity, driver.prepareHydratedValue(raw[`c${i}`], column)),
  );
  return entity;
}

/**
 * Each parent's first rows after the cursor: one index scan per parent, stopped at the
 * page's size (LATERAL … LIMIT), so a regular with 500 orders costs what one with 5
 * does. Rows come back by parent, each parent's newest first.
 */
async function queryPages<R extends ObjectLiteral & { id: string }>(
  repo: Repository<R>,
  q: PerParentPageQuery<R>,
  parentIds: string[],
  sortColumn: string,
): Promise<R[]> {
  const conditions = [`t.workspace_id = :workspaceId`, `t.${q.parentColumn} = parent.id`];
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
  const named = `
    SELECT ${selectList(repo.metadata)}
      FROM unnest(:parentIds::uuid[]) WITH ORDINALITY AS parent(id, k)
      CROSS JOIN LATERAL (
        SELECT t.* FROM "${repo.metadata.tablePath}" t WHERE ${conditions.join(' AND ')}
         ORDER BY t.${sortColumn} DESC, t.id DESC LIMIT :limit) t
     ORDER BY parent.k, t.${sortColumn} DESC, t.id DESC`;
  const { driver } = repo.manager.connection;
  const [sql, values] = driver.escapeQueryWithParameters(named, params, {});
  const rows: ObjectLiteral[] = await repo.manager.query(sql, values);
  return rows.map((raw) => hydrate(repo, raw));
}
