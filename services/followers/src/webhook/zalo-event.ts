// Zalo OA webhook events, as Zalo sends them, and the checks before any is stored.
//
// Signature: header X-ZEvent-Signature = "mac=" + hex(SHA-256(app_id + raw body +
// timestamp + the OA's secret key)), where app_id and timestamp are the body's own.
// The timestamp is milliseconds since the epoch; an event is accepted only within
// EVENT_FRESHNESS_MS of it (either way), so a captured body cannot be replayed later.
//
// Message statuses (passed on to marketing, followers.zalo.message-status):
// `user_received_message` (a ZNS message reached the phone: `message: { msg_id,
// tracking_id, delivery_time }`; an OA message reached the follower: `message: {
// msg_ids: [...] }`) and `user_seen_message` (`message: { msg_ids: [...] }`). Which of
// `oa_id`, `sender.id` and `recipient.id` names the OA differs between them (the OA is
// the sender of a ZNS receipt, the recipient of a user's action), so each is tried as
// the OA the signature is checked against, in that order.
import { createHash, timingSafeEqual } from 'node:crypto';

export interface ZaloInfo {
  name?: string;
  phone?: string;
  address?: string;
  city?: string;
  district?: string;
  ward?: string;
}

export type ZaloEvent =
  | { kind: 'follow' | 'unfollow'; appId: string; oaId: string; userId: string; at: Date }
  | {
      kind: 'user_submit_info';
      appId: string;
      oaId: string;
      userId: string;
      at: Date;
      info: ZaloInfo;
    }
  | {
      kind: 'message_status';
      appId: string;
      /** The first of `oaIds`; the webhook sets the one whose claim signed the event. */
      oaId: string;
      /** Where the OA may be named, in the order they are tried. */
      oaIds: string[];
      status: 'DELIVERED' | 'SEEN';
      messages: ZaloMessageRef[];
      /** When Zalo says it happened: delivery_time when given, else the event's timestamp. */
      at: Date;
    }
  | { kind: 'other'; appId: string; oaId: string | undefined; name: string; at: Date };

/** A message of the OA a status is about. */
export interface ZaloMessageRef {
  zaloMessageId: string;
  /** The sender's own id given to Zalo with the message (marketing's message id). */
  trackingId: string | null;
}

/** The Zalo events that report a message's status, and the status each reports. */
export const MESSAGE_STATUS_EVENTS: Readonly<Record<string, 'DELIVERED' | 'SEEN'>> = {
  user_received_message: 'DELIVERED',
  user_seen_message: 'SEEN',
};

/** The most messages one status event may name. */
export const MAX_STATUS_MESSAGES = 500;

/** How far (either way) an event's timestamp may be from now when it arrives. */
export const EVENT_FRESHNESS_MS = 5 * 60_000;

/** Whether an event dated `at` may be accepted at `now`. */
export function isFresh(at: Date, now = Date.now()): boolean {
  return Math.abs(now - at.getTime()) <= EVENT_FRESHNESS_MS;
}

/** The delivery's identity for de-duplication: SHA-256 of the raw body. */
export const bodyHash = (raw: Buffer): Buffer => createHash('sha256').update(raw).digest();

export class WebhookError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const str = (value: unknown): value is string => typeof value === 'string' && value !== '';

function need(value: unknown, field: string): string {
  if (str(value)) return value;
  if (typeof value === 'number') return String(value);
  throw new WebhookError(400, `missing or invalid field ${field}`);
}

/** Parses a webhook body; throws WebhookError(400) naming what is wrong. */
export function parseZaloEvent(raw: Buffer): ZaloEvent {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new WebhookError(400, 'body is not JSON');
  }
  if (typeof body !== 'object' || body === null)
    throw new WebhookError(400, 'body is not an object');
  const appId = need(body.app_id, 'app_id');
  const timestamp = Number(need(body.timestamp, 'timestamp'));
  if (!Number.isFinite(timestamp)) throw new WebhookError(400, 'timestamp is not a number');
  const at = new Date(timestamp);
  const name = need(body.event_name, 'event_name');
  const obj = (v: unknown) =>
    typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  if (name === 'follow' || name === 'unfollow') {
    return {
      kind: name,
      appId,
      oaId: need(body.oa_id, 'oa_id'),
      userId: need(obj(body.follower).id, 'follower.id'),
      at,
    };
  }
  if (name === 'user_submit_info') {
    const info = obj(body.info);
    const text = (v: unknown) => (str(v) ? v.trim() : undefined);
    return {
      kind: name,
      appId,
      oaId: need(obj(body.recipient).id, 'recipient.id'),
      userId: need(obj(body.sender).id, 'sender.id'),
      at,
      info: {
        name: text(info.name),
        phone: need(info.phone, 'info.phone'),
        address: text(info.address),
        city: text(info.city),
        district: text(info.district),
        ward: text(info.ward),
      },
    };
  }
  if (Object.hasOwn(MESSAGE_STATUS_EVENTS, name)) {
    return messageStatus(body, appId, name, at);
  }
  const oaId = str(body.oa_id) ? body.oa_id : obj(body.recipient).id;
  return { kind: 'other', appId, oaId: str(oaId) ? oaId : undefined, name, at };
}

function messageStatus(
  body: Record<string, unknown>,
  appId: string,
  name: string,
  timestamp: Date,
): ZaloEvent {
  const obj = (v: unknown) =>
    typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  const id = (v: unknown) => (str(v) ? v : typeof v === 'number' ? String(v) : undefined);
  const oaIds = [
    ...new Set([id(body.oa_id), id(obj(body.sender).id), id(obj(body.recipient).id)]),
  ].filter((v): v is string => v !== undefined);
  if (oaIds.length === 0) throw new WebhookError(400, 'missing the OA id');
  const message = obj(body.message);
  const single = id(message.msg_id);
  const many = Array.isArray(message.msg_ids) ? message.msg_ids.map(id) : [];
  if (many.some((v) => v === undefined)) {
    throw new WebhookError(400, 'invalid field message.msg_ids');
  }
  const ids = [...new Set([...(single ? [single] : []), ...(many as string[])])];
  if (ids.length === 0) throw new WebhookError(400, 'missing field message.msg_id');
  if (ids.length > MAX_STATUS_MESSAGES) {
    throw new WebhookError(400, `message.msg_ids: at most ${MAX_STATUS_MESSAGES}`);
  }
  // A tracking id is the sender's for one message: it goes with msg_id.
  const trackingId = single && ids.length === 1 ? (id(message.tracking_id) ?? null) : null;
  const deliveryTime = Number(id(message.delivery_time));
  return {
    kind: 'message_status',
    appId,
    oaId: oaIds[0],
    oaIds,
    status: MESSAGE_STATUS_EVENTS[name],
    messages: ids.map((zaloMessageId) => ({ zaloMessageId, trackingId })),
    at: Number.isFinite(deliveryTime) && deliveryTime > 0 ? new Date(deliveryTime) : timestamp,
  };
}

/** The body's timestamp exactly as sent, for the signature. */
export function rawTimestamp(raw: Buffer): string {
  const body = JSON.parse(raw.toString('utf8')) as { timestamp: unknown };
  return String(body.timestamp);
}

export function zaloSignature(
  appId: string,
  raw: Buffer,
  timestamp: string,
  secret: string,
): string {
  const mac = createHash('sha256')
    .update(appId)
    .update(raw)
    .update(timestamp)
    .update(secret)
    .digest('hex');
  return `mac=${mac}`;
}

export function signatureMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
