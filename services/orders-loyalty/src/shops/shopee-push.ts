// Shopee Open Platform pushes, as Shopee sends them, and the checks before any is
// stored.
//
//   POST <callback URL>
//   Content-Type: application/json
//   Authorization: hex(HMAC-SHA256(key = the shop connection's partner key,
//                                  message = callback URL + "|" + raw body))
//
//   { "shop_id": 123456, "code": 3, "timestamp": 1633830492,
//     "data": { "ordersn": "230103BWFUSJ1C", "status": "READY_TO_SHIP",
//               "update_time": 1633830492, "items": [] } }
//
// `code` says what a push is about; 3 is an order's status, the only one handled (the
// others are acknowledged and ignored). `timestamp` is when Shopee sent it, in
// seconds: accepted within PUSH_FRESHNESS_MS of now either way, so a captured body
// cannot be replayed later. `data.update_time` (seconds) is Shopee's time of the
// status: the version the stale-update rule compares (`timestamp` when absent).
// The callback URL is ours as Shopee knows it (PUBLIC_WEBHOOK_BASE_URL +
// /webhooks/shopee, runtime config.ts), never the Host a request arrived with.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { OrderStatus } from '../orders/order.entity';

/** The push code of an order's status change. */
export const ORDER_STATUS_PUSH = 3;

/**
 * Shopee's order statuses → ours. null: no status of ours (the order keeps the one it
 * has). A status missing here (one Shopee adds later) is acknowledged and ignored.
 */
export const SHOPEE_STATUSES: Readonly<Record<string, OrderStatus | null>> = {
  // Placed, not paid yet.
  UNPAID: 'PENDING',
  // Paid; the seller arranges shipment (Brazil: after the invoice).
  INVOICE_PENDING: 'CONFIRMED',
  READY_TO_SHIP: 'CONFIRMED',
  // Shipment arranged, tracking number given; not picked up yet.
  PROCESSED: 'CONFIRMED',
  // The carrier failed to pick it up: shipment is arranged again.
  RETRY_SHIP: 'CONFIRMED',
  // Dropped off at or picked up by the carrier.
  SHIPPED: 'SHIPPING',
  // Received by the buyer, who may still confirm or ask for a return.
  TO_CONFIRM_RECEIVE: 'DELIVERED',
  COMPLETED: 'COMPLETED',
  // A cancellation asked for, not decided: Shopee pushes CANCELLED, or the previous
  // status again, when it is.
  IN_CANCEL: null,
  CANCELLED: 'CANCELLED',
  // A return asked for and in progress. Shopee has no later "returned" order status;
  // a refused return is pushed as COMPLETED (later, so it wins).
  TO_RETURN: 'RETURNED',
};

/** Our status for Shopee's: null when none, undefined for a status not in the table. */
export function mapShopeeStatus(status: string): OrderStatus | null | undefined {
  return Object.hasOwn(SHOPEE_STATUSES, status) ? SHOPEE_STATUSES[status] : undefined;
}

export type ShopeePush =
  | {
      kind: 'order_status';
      shopId: string;
      /** When Shopee sent the push. */
      sentAt: Date;
      /** The order's code (`ordersn`). */
      orderSn: string;
      /** Shopee's status, as sent. */
      status: string;
      /** Shopee's time of the status. */
      updatedAt: Date;
    }
  | { kind: 'other'; code: number };

/** How far (either way) a push's timestamp may be from now when it arrives. */
export const PUSH_FRESHNESS_MS = 5 * 60_000;

/** Whether a push sent at `at` may be accepted at `now`. */
export function isFresh(at: Date, now = Date.now()): boolean {
  return Math.abs(now - at.getTime()) <= PUSH_FRESHNESS_MS;
}

/** A delivery's identity for de-duplication: SHA-256 of the raw body. */
export const bodyHash = (raw: Buffer): Buffer => createHash('sha256').update(raw).digest();

/** A push refused: the HTTP status and the reason sent back. */
export class PushRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const obj = (v: unknown) =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;

/** A time in whole seconds since the epoch, as Shopee sends them. */
function seconds(value: unknown, field: string): Date {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new PushRefused(400, `missing or invalid field ${field} (seconds since the epoch)`);
  }
  return new Date(value * 1000);
}

function text(value: unknown, field: string, max = 64): string {
  if (typeof value !== 'string' || value === '' || value.length > max) {
    throw new PushRefused(400, `missing or invalid field ${field}`);
  }
  return value;
}

/** Parses a push body; throws PushRefused(400) naming what is wrong. */
export function parseShopeePush(raw: Buffer): ShopeePush {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new PushRefused(400, 'body is not JSON');
  }
  const body = obj(parsed);
  if (!body) throw new PushRefused(400, 'body is not an object');
  const code = body.code;
  if (typeof code !== 'number' || !Number.isInteger(code)) {
    throw new PushRefused(400, 'missing or invalid field code');
  }
  if (code !== ORDER_STATUS_PUSH) return { kind: 'other', code };
  const shopId = body.shop_id;
  // A shop id is a positive integer; larger than 2^53 it would have lost digits already.
  if (typeof shopId !== 'number' || !Number.isSafeInteger(shopId) || shopId <= 0) {
    throw new PushRefused(400, 'missing or invalid field shop_id');
  }
  const sentAt = seconds(body.timestamp, 'timestamp');
  const data = obj(body.data);
  if (!data) throw new PushRefused(400, 'missing or invalid field data');
  return {
    kind: 'order_status',
    shopId: String(shopId),
    sentAt,
    orderSn: text(data.ordersn, 'data.ordersn'),
    status: text(data.status, 'data.status'),
    updatedAt:
      data.update_time === undefined ? sentAt : seconds(data.update_time, 'data.update_time'),
  };
}

/** The Authorization header Shopee sends with `raw` to `callbackUrl`. */
export function shopeeSignature(callbackUrl: string, raw: Buffer, partnerKey: string): string {
  return createHmac('sha256', partnerKey).update(callbackUrl).update('|').update(raw).digest('hex');
}

/** Compares in constant time (for equal lengths; the length is no secret). */
export function signatureMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
