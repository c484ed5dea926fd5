// Checking one review of `upsertReviews` before anything is written. A bad review
// becomes a rejection naming its field; nothing of it reaches the database.
import type { ReviewInput } from '../generated/graphql';
import { REVIEW_SOURCES } from './review.row';
import type { OrderSource } from '../orders/order.entity';

/** The most reviews one call may carry. */
export const MAX_REVIEWS_PER_CALL = 500;
export const MAX_IMAGES = 9;
export const MAX_REPLY = 1000;
const MAX_TEXT = 4000;
const MAX_URL = 2000;

/** A review that passed every check, normalised for the upsert. */
export interface CheckedReview {
  index: number;
  source: OrderSource;
  reviewId: string;
  orderCode: string;
  productSku: string | null;
  productName: string;
  rating: number;
  comment: string | null;
  imageUrls: string[];
  reviewedAt: Date;
  /** The version's time: `editedAt`, else `createdAt`. */
  editedAt: Date;
  sellerReply: { text: string; repliedAt: Date } | null;
}

export interface ReviewRejection {
  index: number;
  source: string;
  reviewId: string;
  field: string;
  reason: string;
}

export class BadReview extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(reason);
  }
}

function optionalText(value: string | null | undefined, field: string, max = MAX_TEXT) {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed.length > max) throw new BadReview(field, `is longer than ${max} characters`);
  return trimmed === '' ? null : trimmed;
}

export function requiredText(value: string, field: string, max = MAX_TEXT): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new BadReview(field, 'must not be empty');
  if (trimmed.length > max) throw new BadReview(field, `is longer than ${max} characters`);
  return trimmed;
}

function instant(value: Date | string, field: string): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new BadReview(field, 'is not a date-time');
  return date;
}

function httpsUrl(value: string, field: string): string {
  const trimmed = value.trim();
  const url = URL.canParse(trimmed) ? new URL(trimmed) : null;
  if (!url || url.protocol !== 'https:' || !url.hostname) {
    throw new BadReview(field, `"${trimmed}" is not an https URL`);
  }
  if (trimmed.length > MAX_URL) throw new BadReview(field, `is longer than ${MAX_URL} characters`);
  return trimmed;
}

function check(input: ReviewInput, index: number): CheckedReview {
  if (!(REVIEW_SOURCES as readonly string[]).includes(input.source)) {
    throw new BadReview('source', `"${input.source}" is not one of ${REVIEW_SOURCES.join(', ')}`);
  }
  const reviewId = requiredText(input.reviewId, 'reviewId', 100);
  const orderCode = requiredText(input.orderCode, 'orderCode', 100);
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) {
    throw new BadReview('rating', `must be a whole number from 1 to 5, got ${input.rating}`);
  }
  const urls = input.imageUrls ?? [];
  if (urls.length > MAX_IMAGES) {
    throw new BadReview('imageUrls', `has ${urls.length} images, at most ${MAX_IMAGES}`);
  }
  const reply = input.sellerReply;
  const reviewedAt = instant(input.createdAt, 'createdAt');
  const editedAt = input.editedAt ? instant(input.editedAt, 'editedAt') : reviewedAt;
  if (editedAt < reviewedAt) throw new BadReview('editedAt', 'is before createdAt');
  return {
    index,
    source: input.source as OrderSource,
    reviewId,
    orderCode,
    productSku: optionalText(input.productSku, 'productSku', 100),
    productName: requiredText(input.productName, 'productName', 500),
    rating: input.rating,
    comment: optionalText(input.comment, 'comment'),
    imageUrls: urls.map((u, i) => httpsUrl(u, `imageUrls[${i}]`)),
    reviewedAt,
    editedAt,
    sellerReply: reply
      ? {
          text: requiredText(reply.text, 'sellerReply.text', MAX_REPLY),
          repliedAt: instant(reply.repliedAt, 'sellerReply.repliedAt'),
        }
      : null,
  };
}

/** Checks one review: the normalised review, or why it is refused. */
export function checkReview(input: ReviewInput, index: number): CheckedReview | ReviewRejection {
  try {
    return check(input, index);
  } catch (error) {
    if (!(error instanceof BadReview)) throw error;
    return {
      index,
      source: input.source,
      reviewId: input.reviewId,
      field: error.field,
      reason: error.message,
    };
  }
}

export const isRejection = (r: CheckedReview | ReviewRejection): r is ReviewRejection =>
  'reason' in r;
