// Per-request loaders of the Reviews tab: one query per page of customers (a page of
// each customer's reviews, row_number() per customer) and one per count. A review
// belongs to the customer its order is attached to now, by the join in REVIEW_FROM.
import type DataLoader from 'dataloader';
import { alignMany, isUuid, loaderFamily, toConnection } from '@customer-graph/runtime';
import type { Connection, Page, RequestScope } from '@customer-graph/runtime';
import type { CustomerReviewFilter } from '../generated/graphql';
import { customerReviewFilterSql } from './review.filter';
import { REVIEW_FROM, REVIEW_SELECT } from './review.row';
import type { ReviewRow } from './review.row';

export interface ReviewLoaders {
  /** A page of a customer's reviews, newest first; one query per distinct page and filter. */
  byCustomer: (args: {
    page: Page;
    filter: CustomerReviewFilter | null;
  }) => DataLoader<string, Connection<ReviewRow>>;
  /** How many of a customer's reviews match a filter; one query per filter. */
  countByCustomer: (filter: CustomerReviewFilter | null) => DataLoader<string, number>;
}

declare module '../context' {
  interface Loaders {
    reviews: ReviewLoaders;
  }
}

export function createReviewLoaders({ db, workspaceId }: RequestScope): ReviewLoaders {
  /** The conditions common to both: the workspace, the customers, the filter. */
  const conditions = (filter: CustomerReviewFilter | null, ids: readonly string[]) => {
    const params: unknown[] = [workspaceId, ids.filter(isUuid)];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = [
      'r.workspace_id = $1',
      'o.customer_id = ANY($2::uuid[])',
      ...customerReviewFilterSql(filter, param),
    ];
    return { params, param, where };
  };
  return {
    byCustomer: loaderFamily(async ({ page, filter }, ids: readonly string[]) => {
      const { params, param, where } = conditions(filter, ids);
      if (page.after) {
        where.push(
          `(r.reviewed_at, r.id) < (${param(page.after.keys[0])}::timestamptz, ${param(page.after.id)}::uuid)`,
        );
      }
      const rows: ReviewRow[] = await db.query(
        `SELECT * FROM (
           SELECT ${REVIEW_SELECT}, row_number() OVER (
             PARTITION BY o.customer_id ORDER BY r.reviewed_at DESC, r.id DESC) AS rn
           FROM ${REVIEW_FROM} WHERE ${where.join(' AND ')}
         ) ranked WHERE rn <= ${page.first + 1}
         ORDER BY "reviewedAt" DESC, id DESC`,
        params,
      );
      return alignMany(ids, rows, (row) => row.customerId ?? '').map((list) =>
        toConnection(list, page, (row) => [row.reviewedAt.toISOString()]),
      );
    }),
    countByCustomer: loaderFamily(async (filter: CustomerReviewFilter | null, ids) => {
      const { params, where } = conditions(filter, ids);
      const rows: { customerId: string; n: number }[] = await db.query(
        `SELECT o.customer_id AS "customerId", count(*)::int AS n FROM ${REVIEW_FROM}
          WHERE ${where.join(' AND ')} GROUP BY o.customer_id`,
        params,
      );
      const byId = new Map(rows.map((r) => [r.customerId, r.n]));
      return ids.map((id) => byId.get(id) ?? 0);
    }),
  };
}
