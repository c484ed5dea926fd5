// The customer list: one filter language, sorts on indexed columns with the id as the
// unique tie-break, keyset cursors (never OFFSET), and a totalCount computed only when
// asked for. Pages and cursors are the runtime's (pagination.ts): the page default and
// cap are the SDL's (`first: Int = 20`, `@listSize(assumedSize: 250)`), and a cursor
// only fits the field and the sort it came from.
import type { DataSource, EntityManager } from 'typeorm';
import { isUuid, pageOf, toConnection, yieldToEventLoop } from '@customer-graph/runtime';
import type { Page, PagedField } from '@customer-graph/runtime';
import { compileFilter, loadSavedLists } from '../filter/filter.compiler';
import { SqlParams } from '../filter/sql-params';
import type { CustomFieldDef, CustomerFilterInput, FilterContext } from '../filter/filter.types';
import { loadCustomFields } from '../custom-fields/custom-field.service';
import { CUSTOMER_SELECT } from './customer.entity';
import { holdsMostCustomers, walkFirst } from './customer.walk-first';
import type { CustomerRow } from './customer.entity';
import type { CheckedSort, CustomerSort, SortedRow } from './customer.sort';
import {
  SORT_SELECT,
  afterCondition,
  checkCursor,
  checkSort,
  orderBy,
  sortKeys,
  sortValues,
} from './customer.sort';

/** Who the caller is, as far as the list is concerned. */
export interface ListScope {
  workspaceId: string;
  /** Staff see only their own customers. */
  staffUserId: string | null;
  /** The workspace's custom fields when the caller has them (a request's loader); else read. */
  customFields?: ReadonlyMap<string, CustomFieldDef>;
  /** The request's phone memo, when there is a request. */
  e164?: (typed: string) => string | null;
  /**
   * The request's compiled filters by JSON, when there is a request: twenty aliases
   * of one filter compile it once. Compiled clauses are shared read-only.
   */
  compiled?: Map<string, Promise<CompiledWhere>>;
}

/** A WHERE clause over `customer c` for a scope and a filter, with its parameters. */
export interface CompiledWhere {
  sql: string;
  params: SqlParams;
  /** The filter searches text: pages try the newest customers first (walkFirst). */
  textSearch?: boolean;
  /** `sql` without its first condition, `c.workspace_id = $1` (walkFirst). */
  withinWorkspace?: string;
}

/**
 * Loads what a filter refers to (custom fields, saved lists, nested too) and compiles
 * it; within a request, the same filter at the same root is compiled once.
 * `hashedValues`: tags and labels compared by their hashes (customerStats; see
 * FilterContext.hashedValues).
 */
export function compileWhere(
  db: DataSource | EntityManager,
  scope: ListScope,
  filter: CustomerFilterInput | null | undefined,
  root = 'filter',
  hashedValues = false,
): Promise<CompiledWhere> {
  if (!scope.compiled) return compileWhereNow(db, scope, filter, root, hashedValues);
  const key = JSON.stringify([root, scope.staffUserId, filter ?? null, hashedValues]);
  let compiled = scope.compiled.get(key);
  if (!compiled) {
    compiled = compileWhereNow(db, scope, filter, root, hashedValues);
    scope.compiled.set(key, compiled);
  }
  return compiled;
}

async function compileWhereNow(
  db: DataSource | EntityManager,
  scope: ListScope,
  filter: CustomerFilterInput | null | undefined,
  root: string,
  hashedValues: boolean,
): Promise<CompiledWhere> {
  const params = new SqlParams([scope.workspaceId]);
  const conditions = ['c.workspace_id = $1'];
  if (scope.staffUserId !== null) {
    conditions.push(`c.assigned_staff = ${params.add(scope.staffUserId)}`);
  }
  let textSearch = false;
  const context: FilterContext = {
    alias: 'c',
    root,
    customFields: scope.customFields ?? (await loadCustomFields(db, scope.workspaceId)),
    lists: await loadListFilters(db, scope.workspaceId, filter),
    e164: scope.e164,
    onTextSearch: () => {
      textSearch = true;
    },
    hashedValues,
  };
  // Compiling is synchronous CPU work (a 1,000-phone filter takes milliseconds): let
  // waiting I/O, such as another workspace's query, in before it.
  await yieldToEventLoop();
  conditions.push(`(${compileFilter(filter, context, params)})`);
  return {
    sql: conditions.join(' AND '),
    params,
    textSearch,
    withinWorkspace: conditions.slice(1).join(' AND '),
  };
}

/** Saved lists' filters named by `inList`, followed into lists that name lists. */
function loadListFilters(
  db: DataSource | EntityManager,
  workspaceId: string,
  filter: CustomerFilterInput | null | undefined,
): Promise<Map<string, CustomerFilterInput>> {
  return loadSavedLists(filter, async (ids) => {
    const rows: { id: string; filter: CustomerFilterInput }[] = await db.query(
      'SELECT id, filter FROM customer_list WHERE workspace_id = $1 AND id = ANY($2::uuid[])',
      [workspaceId, ids.filter(isUuid)],
    );
    return new Map(rows.map((row) => [row.id, row.filter]));
  });
}

export interface CustomerPage {
  edges: { cursor: string; node: CustomerRow }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** Counts every match; run only when the client asks for totalCount. */
  count(): Promise<number>;
}

export interface ListArgs {
  filter?: CustomerFilterInput | null;
  sort?: CustomerSort[] | null;
  first?: number | null;
  after?: string | null;
  /** The paged field (the resolver's info): its SDL states the page default and cap. */
  field: PagedField;
}

/** A page's query, built and checked but not run (the list runs it; the bench EXPLAINs it). */
export interface PageQuery {
  sql: string;
  params: unknown[];
  where: CompiledWhere;
  sort: CheckedSort[];
  page: Page;
}

export async function customerPageQuery(
  db: DataSource,
  scope: ListScope,
  args: ListArgs,
): Promise<PageQuery> {
  const sort = checkSort(args.sort);
  const page = pageOf(args, args.field, sortKeys(sort));
  const where = await compileWhere(db, scope, args.filter);
  const pageParams = new SqlParams([...where.params.values]);
  const conditions = [where.sql];
  if (page.after) {
    checkCursor(sort, page.after);
    conditions.push(afterCondition(sort, page.after, pageParams));
  }
  const sql = where.textSearch
    ? walkFirst(
        where,
        conditions.slice(1),
        sort,
        page.first + 1,
        await holdsMostCustomers(db, scope.workspaceId),
      )
    : `SELECT ${CUSTOMER_SELECT}, ${SORT_SELECT} FROM customer c
    WHERE ${conditions.join(' AND ')} ORDER BY ${orderBy(sort)} LIMIT ${page.first + 1}`;
  return { sql, params: pageParams.values, where, sort, page };
}

export async function listCustomers(
  db: DataSource,
  scope: ListScope,
  args: ListArgs,
): Promise<CustomerPage> {
  const q = await customerPageQuery(db, scope, args);
  const rows: SortedRow[] = await db.query(q.sql, q.params);
  const connection = toConnection(rows, q.page, (row) => sortValues(row, q.sort));
  let counted: Promise<number> | undefined;
  return { ...connection, count: () => (counted ??= countWhere(db, q.where)) };
}

/** Counts matches, on the pool or inside a transaction (`EntityManager`). */
export async function countWhere(
  db: Pick<EntityManager, 'query'>,
  where: CompiledWhere,
): Promise<number> {
  const [row] = await db.query(
    `SELECT count(*)::int AS n FROM customer c WHERE ${where.sql}`,
    where.params.values,
  );
  return row.n as number;
}
