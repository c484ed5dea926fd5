// The reviews' filters as SQL conditions over `order_review r`; `param` adds a value
// and returns its placeholder.
import { badInput } from '@customer-graph/runtime';
import type { CustomerReviewFilter, ReviewFilter } from '../generated/graphql';

function stars(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 5) {
    throw badInput(field, `must be a whole number from 1 to 5, got ${value}`);
  }
  return value;
}

const hasReply = (yes: boolean) => (yes ? 'r.reply_text IS NOT NULL' : 'r.reply_text IS NULL');

/** Customer.reviews' filter: ratings and whether there is a reply. */
export function customerReviewFilterSql(
  filter: CustomerReviewFilter | null | undefined,
  param: (value: unknown) => string,
): string[] {
  const out: string[] = [];
  if (filter?.rating) {
    const ratings = filter.rating.map((r, i) => stars(r, `filter.rating[${i}]`));
    out.push(`r.rating = ANY(${param(ratings)}::int[])`);
  }
  if (filter?.replied != null) out.push(hasReply(filter.replied));
  return out;
}

/** Query.reviews' filter. */
export function reviewFilterSql(
  filter: ReviewFilter | null | undefined,
  param: (value: unknown) => string,
): string[] {
  const f = filter ?? {};
  const out: string[] = [];
  if (f.awaitingReply != null) out.push(hasReply(!f.awaitingReply));
  if (f.ratingMin != null) out.push(`r.rating >= ${param(stars(f.ratingMin, 'filter.ratingMin'))}`);
  if (f.ratingMax != null) out.push(`r.rating <= ${param(stars(f.ratingMax, 'filter.ratingMax'))}`);
  if (f.source) out.push(`r.source = ANY(${param(f.source)}::text[])`);
  if (f.productSku != null) out.push(`r.product_sku = ${param(f.productSku.trim())}`);
  return out;
}
