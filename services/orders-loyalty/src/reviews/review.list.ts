// Query.reviews: the workspace's reviews the caller may see, newest first, paged by
// keyset on (reviewed_at, id), counted only when totalCount is asked for. Scoped in
// SQL by the customer of the review's order (projectedScopeSql): staff see reviews of
// their customers' orders, and a review whose order is unknown or attached to no
// customer only roles that see every customer.
import type { DataSource } from 'typeorm';
import { newestFirst, pageOf, projectedScopeSql, toConnection } from '@customer-graph/runtime';
import type { CustomerScope, PagedField, PageArgs } from '@customer-graph/runtime';
import type { ReviewFilter } from '../generated/graphql';
import { reviewFilterSql } from './review.filter';
import { REVIEW_FROM, REVIEW_SELECT } from './review.row';
import type { ReviewPage, ReviewRow } from './review.row';

/** Reviews are listed newest first. */
export const REVIEWS_NEWEST_FIRST = newestFirst('reviewed_at');

export async function listReviews(
  db: DataSource,
  workspaceId: string,
  scope: CustomerScope,
  args: PageArgs & { filter?: ReviewFilter | null },
  field: PagedField,
): Promise<ReviewPage> {
  const page = pageOf(args, field, REVIEWS_NEWEST_FIRST);
  const params: unknown[] = [workspaceId];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = [
    'r.workspace_id = $1',
    projectedScopeSql(scope, 'o.customer_id', 'r.workspace_id', param),
    ...reviewFilterSql(args.filter, param),
  ];
  const countParams = [...params];
  const countWhere = where.join(' AND ');
  if (page.after) {
    where.push(
      `(r.reviewed_at, r.id) < (${param(page.after.keys[0])}::timestamptz, ${param(page.after.id)}::uuid)`,
    );
  }
  const rows: ReviewRow[] = await db.query(
    `SELECT ${REVIEW_SELECT} FROM ${REVIEW_FROM} WHERE ${where.join(' AND ')}
     ORDER BY r.reviewed_at DESC, r.id DESC LIMIT ${page.first + 1}`,
    params,
  );
  let counted: Promise<number> | undefined;
  const count = async () => {
    const [row] = await db.query(
      `SELECT count(*)::int AS n FROM ${REVIEW_FROM} WHERE ${countWhere}`,
      countParams,
    );
    return row.n as number;
  };
  return {
    ...toConnection(rows, page, (row) => [row.reviewedAt.toISOString()]),
    count: () => (counted ??= count()),
  };
}
