// upsertReviews: product reviews from marketplace connectors and scripts, keyed by
// (workspace, source, review id). Every review is checked first (review.input.ts);
// the valid ones are written in ONE transaction by one set-based
// INSERT … ON CONFLICT DO UPDATE … WHERE something differs, so sending a review again
// as stored changes nothing and counts as unchanged. Within a batch the last version
// of a review wins. A reply the marketplace already shows (`sellerReply`) is stored
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
  // One row per key for the INSERT (it may not touch a row twice): the last one sent.
  const last = new Map<string, CheckedReview>();
  for (const review of valid) last.set(`${review.source}\u0000${review.reviewId}`, review);
  let written: { created: boolean }[] = [];
  if (last.size > 0) {
    const rows = [...last.values()].map((r) => ({
      ...r,
      replyText: r.sellerReply?.text ?? null,
      repliedAt: r.sellerReply?.repliedAt ?? null,
    }));
    written = await db.query(
      `INSERT INTO order_review AS r (workspace_id, source, review_id, order_code, product_sku,
         product_name, rating, comment, image_urls, reviewed_at, reply_text, reply_status,
         replied_at)
       SELECT $1, x.source, x."reviewId", x."orderCode", x."productSku", x."productName",
         x.rating, x.comment, ARRAY(SELECT jsonb_array_elements_text(x."imageUrls")),
         x."reviewedAt", x."replyText",
         CASE WHEN x."replyText" IS NULL THEN NULL ELSE 'SENT' END, x."repliedAt"
       FROM jsonb_to_recordset($2::jsonb) AS x(source text, "reviewId" text, "orderCode" text,
         "productSku" text, "productName" text, rating smallint, comment text,
         "imageUrls" jsonb, "reviewedAt" timestamptz, "replyText" text, "repliedAt" timestamptz)
       ON CONFLICT (workspace_id, source, review_id) DO UPDATE SET
         ${COMPARED.map((c) => `${c} = EXCLUDED.${c}`).join(', ')},
         reply_text = COALESCE(EXCLUDED.reply_text, r.reply_text),
         reply_status = COALESCE(EXCLUDED.reply_status, r.reply_status),
         replied_by = CASE WHEN EXCLUDED.reply_text IS NULL OR EXCLUDED.reply_text = r.reply_text
                           THEN r.replied_by END,
         replied_at = COALESCE(EXCLUDED.replied_at, r.replied_at),
         updated_at = now()
       WHERE (${COMPARED.map((c) => `r.${c}`).join(', ')})
               IS DISTINCT FROM (${COMPARED.map((c) => `EXCLUDED.${c}`).join(', ')})
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
