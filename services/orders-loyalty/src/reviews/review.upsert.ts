// upsertReviews: product reviews from marketplace connectors and scripts, keyed by
// (workspace, source, review id). Every review is checked first (review.input.ts);
// the valid ones are written in ONE transaction by one set-based
// INSERT … ON CONFLICT DO UPDATE … WHERE something differs, so sending a review again
// as stored changes nothing and counts as unchanged. A version older than the stored
// one (`editedAt`, else `createdAt`) changes none of the review's own fields, so
// versions delivered out of order end on the newest; within a batch the newest
// version wins, the last one sent on equal times. A reply the marketplace already shows (`sellerReply`) is stored
// as SENT (keeping who wrote it when it is the reply written here and now sent); a
// review sent without one keeps the reply it has. The review's order is not looked
// up here: it is joined by (source, order code) when read (review.row.ts), so a
// review whose order arrives later needs no second step.
import type { DataSource } from 'typeorm';
import { badInput } from '@customer-graph/runtime';
import type { ReviewInput } from '../generated/graphql';
import { MAX_REVIEWS_PER_CALL, checkReview, isRejection } from './review.input';
import type { CheckedReview, ReviewRejection } from './review.input';

export interface UpsertReviewsResult {
  created: number;
  updated: number;
  unchanged: number;
  rejected: ReviewRejection[];
}

/** A version as new as the stored one, or newer: an older one changes none of COMPARED. */
const FRESH = 'EXCLUDED.edited_at >= r.edited_at';

const COMPARED = [
  'order_code',
  'product_sku',
  'product_name',
  'rating',
  'comment',
  'image_urls',
  'reviewed_at',
];

export async function upsertReviews(
  db: DataSource,
  workspaceId: string,
  inputs: readonly ReviewInput[],
): Promise<UpsertReviewsResult> {
  if (inputs.length > MAX_REVIEWS_PER_CALL) {
    throw badInput(
      'reviews',
      `at most ${MAX_REVIEWS_PER_CALL} reviews per call, got ${inputs.length}: split the batch`,
    );
  }
  const rejected: ReviewRejection[] = [];
  const valid: CheckedReview[] = [];
  for (const [i, input] of inputs.entries()) {
    const checked = checkReview(input, i);
    if (isRejection(checked)) rejected.push(checked);
    else valid.push(checked);
  }
  // One row per key for the INSERT (it may not touch a row twice): the newest version,
  // the last one sent on equal times.
  const last = new Map<string, CheckedReview>();
  for (const review of valid) {
    const key = `${review.source}\u0000${review.reviewId}`;
    const kept = last.get(key);
    if (!kept || review.editedAt >= kept.editedAt) last.set(key, review);
  }
  let written: { created: boolean }[] = [];
  if (last.size > 0) {
    const rows = [...last.values()].map((r) => ({
      ...r,
      replyText: r.sellerReply?.text ?? null,
      repliedAt: r.sellerReply?.repliedAt ?? null,
    }));
    written = await db.query(
      `INSERT INTO order_review AS r (workspace_id, source, review_id, order_code, product_sku,
         product_name, rating, comment, image_urls, reviewed_at, edited_at, reply_text,
         reply_status, replied_at)
       SELECT $1, x.source, x."reviewId", x."orderCode", x."productSku", x."productName",
         x.rating, x.comment, ARRAY(SELECT jsonb_array_elements_text(x."imageUrls")),
         x."reviewedAt", x."editedAt", x."replyText",
         CASE WHEN x."replyText" IS NULL THEN NULL ELSE 'SENT' END, x."repliedAt"
       FROM jsonb_to_recordset($2::jsonb) AS x(source text, "reviewId" text, "orderCode" text,
         "productSku" text, "productName" text, rating smallint, comment text,
         "imageUrls" jsonb, "reviewedAt" timestamptz, "editedAt" timestamptz, "replyText" text, "repliedAt" timestamptz)
       ON CONFLICT (workspace_id, source, review_id) DO UPDATE SET
         ${COMPARED.map((c) => `${c} = CASE WHEN ${FRESH} THEN EXCLUDED.${c} ELSE r.${c} END`).join(', ')},
         edited_at = GREATEST(r.edited_at, EXCLUDED.edited_at),
         reply_text = COALESCE(EXCLUDED.reply_text, r.reply_text),
         reply_status = COALESCE(EXCLUDED.reply_status, r.reply_status),
         replied_by = CASE WHEN EXCLUDED.reply_text IS NULL OR EXCLUDED.reply_text = r.reply_text
                           THEN r.replied_by END,
         replied_at = COALESCE(EXCLUDED.replied_at, r.replied_at),
         updated_at = now()
       WHERE (${FRESH} AND (${COMPARED.map((c) => `r.${c}`).join(', ')}, r.edited_at)
               IS DISTINCT FROM (${COMPARED.map((c) => `EXCLUDED.${c}`).join(', ')}, EXCLUDED.edited_at))
          OR (EXCLUDED.reply_text IS NOT NULL
              AND (r.reply_text, r.reply_status, r.replied_at)
                  IS DISTINCT FROM (EXCLUDED.reply_text, EXCLUDED.reply_status, EXCLUDED.replied_at))
       RETURNING (xmax = 0) AS created`,
      [workspaceId, JSON.stringify(rows)],
    );
  }
  const created = written.filter((r) => r.created).length;
  const updated = written.length - created;
  return { created, updated, unchanged: valid.length - created - updated, rejected };
}
