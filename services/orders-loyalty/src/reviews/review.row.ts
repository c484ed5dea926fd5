// A review as the resolvers see it: the stored row plus its order and that order's
// customer, both found by a join on (workspace, source, order code) when it is read,
// never copied into the review (docs/reviews.md).
import type { Connection } from '@customer-graph/runtime';
import { ORDER_SOURCES } from '../orders/order.entity';
import type { OrderSource } from '../orders/order.entity';

export const REVIEW_SOURCES = ORDER_SOURCES;
export const REPLY_STATUSES = ['PENDING_SEND', 'SENT'] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

export interface ReviewRow {
  id: string;
  source: OrderSource;
  reviewId: string;
  orderCode: string;
  /** The stored order with this source and code; null until it arrives. */
  orderId: string | null;
  /** That order's customer; null while it is attached to none. */
  customerId: string | null;
  productSku: string | null;
  productName: string;
  rating: number;
  comment: string | null;
  imageUrls: string[];
  reviewedAt: Date;
  replyText: string | null;
  replyStatus: ReplyStatus | null;
  repliedBy: string | null;
  repliedAt: Date | null;
}

/** A page of reviews; `count` runs only when the client asks for totalCount. */
export interface ReviewPage extends Connection<ReviewRow> {
  count(): Promise<number>;
}

/** `order_review r` joined to its order `o` (LEFT JOIN: the order may not be stored yet). */
export const REVIEW_FROM = `order_review r
  LEFT JOIN customer_order o
    ON o.workspace_id = r.workspace_id AND o.source = r.source AND o.code = r.order_code`;

export const REVIEW_SELECT = `r.id, r.source, r.review_id AS "reviewId", r.order_code AS "orderCode",
  o.id AS "orderId", o.customer_id AS "customerId", r.product_sku AS "productSku",
  r.product_name AS "productName", r.rating, r.comment, r.image_urls AS "imageUrls",
  r.reviewed_at AS "reviewedAt", r.reply_text AS "replyText", r.reply_status AS "replyStatus",
  r.replied_by AS "repliedBy", r.replied_at AS "repliedAt"`;
