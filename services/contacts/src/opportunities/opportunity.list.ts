// Which opportunities a caller sees, and Query.opportunities. Admins, editors and
// analysts see every opportunity of the workspace; a staff member those of the
// customers assigned to them and those they own, with any customer. Lists are newest
// first, paged by keyset (pagination.ts), counted only when totalCount is asked for.
import type { DataSource } from 'typeorm';
import { badInput, isUuid, newestFirst, pageOf, toConnection } from '@customer-graph/runtime';
import type { Connection, CustomerScope, PagedField } from '@customer-graph/runtime';
import type { OpportunityFilter } from '../generated/graphql';
import { userId } from '../customers/customer.input';
import { opportunitySelect } from './opportunity.entity';
import type { OpportunityRow } from './opportunity.entity';

/** Every opportunity list is newest first (the id breaks ties). */
export const OPPORTUNITIES_NEWEST_FIRST = newestFirst('created_at');

/** A page of opportunities; `count` runs only when the client asks for totalCount. */
export interface OpportunityPage extends Connection<OpportunityRow> {
  count(): Promise<number>;
}

/** Adds a value to the statement and returns its placeholder. */
export type Param = (value: unknown) => string;

/**
 * The opportunities of `alias` the caller may see, as an SQL condition: staff see
 * those of their customers and those they own.
 */
export function opportunityScopeSql(scope: CustomerScope, alias: string, param: Param): string {
  if (scope.kind === 'all') return 'TRUE';
  if (scope.kind === 'none') return 'FALSE';
  const staff = param(scope.staffUserId);
  return `(${alias}.owner = ${staff} OR EXISTS (
    SELECT 1 FROM customer sc WHERE sc.workspace_id = ${alias}.workspace_id
       AND sc.id = ${alias}.customer_id AND sc.assigned_staff = ${staff}))`;
}

function amount(value: number | string, field: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw badInput(field, `${field} is a whole number of đồng, 0 or more; got ${value}`);
  }
  return n;
}

/** The filter as SQL conditions over `alias`; an inverted range is BAD_USER_INPUT. */
export function opportunityFilterSql(
  filter: OpportunityFilter | null | undefined,
  alias: string,
  param: Param,
): string[] {
  const f = filter ?? {};
  const out: string[] = [];
  if (f.stage) out.push(`${alias}.stage = ANY(${param(f.stage)}::text[])`);
  if (f.owner != null) {
    const owner = userId(f.owner, 'filter.owner');
    if (owner === null) throw badInput('filter.owner', 'an owner cannot be empty');
    out.push(`${alias}.owner = ${param(owner)}`);
  }
  if (f.customerId != null) {
    out.push(isUuid(f.customerId) ? `${alias}.customer_id = ${param(f.customerId)}` : 'FALSE');
  }
  const { expectedCloseFrom: from, expectedCloseTo: to } = f;
  if (from != null && to != null && from > to) {
    throw badInput('filter.expectedCloseTo', 'expectedCloseTo is before expectedCloseFrom');
  }
  if (from != null) out.push(`${alias}.expected_close_date >= ${param(from)}::date`);
  if (to != null) out.push(`${alias}.expected_close_date <= ${param(to)}::date`);
  const min = f.valueMin != null ? amount(f.valueMin, 'filter.valueMin') : null;
  const max = f.valueMax != null ? amount(f.valueMax, 'filter.valueMax') : null;
  if (min !== null && max !== null && min > max) {
    throw badInput('filter.valueMax', 'valueMax is less than valueMin');
  }
  if (min !== null) out.push(`${alias}.value >= ${param(min)}::bigint`);
  if (max !== null) out.push(`${alias}.value <= ${param(max)}::bigint`);
  return out;
}

export interface OpportunityListArgs {
  filter?: OpportunityFilter | null;
  first?: number | null;
  after?: string | null;
}

/** Query.opportunities: what the caller sees that matches the filter, newest first. */
export async function listOpportunities(
  db: DataSource,
  workspaceId: string,
  scope: CustomerScope,
  args: OpportunityListArgs,
  field: PagedField,
): Promise<OpportunityPage> {
  const page = pageOf(args, field, OPPORTUNITIES_NEWEST_FIRST);
  const params: unknown[] = [workspaceId];
  const param: Param = (value) => `$${params.push(value)}`;
  const where = [
    'o.workspace_id = $1',
    opportunityScopeSql(scope, 'o', param),
    ...opportunityFilterSql(args.filter, 'o', param),
  ];
  const countWhere = where.join(' AND ');
  const countParams = [...params];
  if (page.after) {
    where.push(
      `(o.created_at, o.id) < (${param(page.after.keys[0])}::timestamptz, ${param(page.after.id)}::uuid)`,
    );
  }
  const rows: OpportunityRow[] = await db.query(
    `SELECT ${opportunitySelect('o')} FROM opportunity o WHERE ${where.join(' AND ')}
     ORDER BY o.created_at DESC, o.id DESC LIMIT ${page.first + 1}`,
    params,
  );
  const connection = toConnection(rows, page, (row) => [row.createdAt.toISOString()]);
  let counted: Promise<number> | undefined;
  const count = async () => {
    const [row] = await db.query(
      `SELECT count(*)::int AS n FROM opportunity o WHERE ${countWhere}`,
      countParams,
    );
    return row.n as number;
  };
  return { ...connection, count: () => (counted ??= count()) };
}
