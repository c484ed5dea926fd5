// Delivery reports as the email and SMS providers post them (docs/marketing.md,
// "Delivery events"), and the checks before any is stored.
//
//   POST /webhooks/email | /webhooks/sms
//   X-Timestamp: <unix seconds>
//   X-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>
//
//   email: { "events":  [ { "id", "messageId", "providerMessageId", "type", "at", "reason"? } ] }
//   sms:   { "reports": [ { "id", "messageId", "providerMessageId", "status", "at",
//                          "errorCode"?, "reason"? } ] }
//
// The secret is the source's (EMAIL_WEBHOOK_SECRET, SMS_WEBHOOK_SECRET: one provider
// per channel for the whole platform, so a report's workspace is its message's). A
// timestamp is accepted within DELIVERY_FRESHNESS_MS of now either way, so a captured
// body cannot be replayed later; within the window the body's hash is remembered.
// Checks are shaped as the Shopee push's and the calls webhook's (shopee-push.ts,
// call-event.wire.ts): constant-time compare, ±5 min, body SHA-256 for replays.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isUuid, uuidv7Time } from '@customer-graph/runtime';

export type DeliverySource = 'email' | 'sms';

/** What a report does to a message's timeline (message_event.status). */
export type TimelineStatus =
  'SENT' | 'FAILED' | 'DELIVERED' | 'OPENED' | 'CLICKED' | 'UNSUBSCRIBED' | 'COMPLAINED';

/** One provider report, normalised. */
export interface DeliveryReport {
  /** The provider's id of the report: a message's timeline has each once. */
  providerEventId: string;
  /** Our message id when it is a UUID v7 (it carries the message's month). */
  messageId: string | null;
  /** The month key of `messageId` (its created_at). */
  createdAt: Date | null;
  providerMessageId: string | null;
  /** null: no status of ours (an email deferral, a type we do not know). */
  status: TimelineStatus | null;
  at: Date;
  detail: string | null;
  /** Only reports of this workspace's messages (a Zalo OA's); null: any (platform-wide). */
  workspaceId: string | null;
}

export const SIGNATURE_HEADER = 'x-signature';
export const TIMESTAMP_HEADER = 'x-timestamp';
/** How far (either way) a request's timestamp may be from now when it arrives. */
export const DELIVERY_FRESHNESS_MS = 5 * 60_000;
/** The most reports one request may carry. */
export const MAX_REPORTS = 1000;

/** Refusals, as the sender is told them. */
export enum DeliveryRefusal {
  /** A missing or wrong signature, or a source without a configured secret. */
  NOT_SIGNED = 'signature does not match',
  STALE = 'timestamp is outside the accepted window',
}

export class DeliveryRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The X-Signature a sender with `secret` puts on `raw` sent at `timestamp`. */
export function deliverySignature(secret: string, timestamp: string, raw: Buffer): string {
  const mac = createHmac('sha256', secret).update(timestamp).update('.').update(raw);
  return `sha256=${mac.digest('hex')}`;
}

/** Compares in constant time (for equal lengths; the length is no secret). */
export function signatureMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The request's time from X-Timestamp (seconds); null when it is not a number. */
export function timestampOf(header: string): Date | null {
  return /^\d{1,12}$/.test(header) ? new Date(Number(header) * 1000) : null;
}

export function isFresh(at: Date, now = Date.now()): boolean {
  return Math.abs(now - at.getTime()) <= DELIVERY_FRESHNESS_MS;
}

/** A delivery's identity for de-duplication: SHA-256 of the raw body. */
export const bodyHash = (raw: Buffer): Buffer => createHash('sha256').update(raw).digest();

const EMAIL_TYPES: Readonly<Record<string, TimelineStatus | null>> = {
  delivered: 'DELIVERED',
  bounced: 'FAILED',
  opened: 'OPENED',
  clicked: 'CLICKED',
  complained: 'COMPLAINED',
  unsubscribed: 'UNSUBSCRIBED',
  // Tried again later by the provider: nothing to show yet.
  deferred: null,
};

const SMS_STATUSES: Readonly<Record<string, TimelineStatus>> = {
  DELIVERED: 'DELIVERED',
  FAILED: 'FAILED',
  EXPIRED: 'FAILED',
  REJECTED: 'FAILED',
};

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;

const bad = (field: string, what: string) => new DeliveryRefused(400, `${field}: ${what}`, field);

function text(item: Obj, name: string, at: string, required: boolean, max = 200): string | null {
  const value = item[name];
  if (value === undefined || value === null) {
    if (required) throw bad(`${at}.${name}`, 'missing');
    return null;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value === '' || value.length > max) {
    throw bad(`${at}.${name}`, `must be a string of 1 to ${max} characters`);
  }
  return value;
}

function time(item: Obj, at: string): Date {
  const value = item.at;
  const parsed = typeof value === 'string' ? new Date(value) : null;
  if (!parsed || Number.isNaN(parsed.getTime())) throw bad(`${at}.at`, 'must be an ISO time');
  return parsed;
}

/** Our id of the message, when it finds its month by itself. */
function ours(messageId: string | null): Pick<DeliveryReport, 'messageId' | 'createdAt'> {
  const createdAt = messageId && isUuid(messageId) ? uuidv7Time(messageId) : null;
  return createdAt
    ? { messageId: messageId!.toLowerCase(), createdAt }
    : { messageId: null, createdAt: null };
}

/** The reports of a body; throws DeliveryRefused(400) naming the field at fault. */
export function parseDeliveryBody(source: DeliverySource, raw: Buffer): DeliveryReport[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new DeliveryRefused(400, 'body is not JSON');
  }
  const body = obj(parsed);
  const listName = source === 'email' ? 'events' : 'reports';
  const list = body?.[listName];
  if (!Array.isArray(list)) throw bad(listName, 'must be a list');
  if (list.length > MAX_REPORTS) throw bad(listName, `at most ${MAX_REPORTS} per request`);
  return list.map((value, i) => {
    const at = `${listName}[${i}]`;
    const item = obj(value);
    if (!item) throw bad(at, 'must be an object');
    const messageId = text(item, 'messageId', at, false);
    const providerMessageId = text(item, 'providerMessageId', at, false);
    if (messageId === null && providerMessageId === null) {
      throw bad(`${at}.messageId`, 'messageId or providerMessageId is needed');
    }
    const kind = text(item, source === 'email' ? 'type' : 'status', at, true, 40)!;
    const reason = text(item, 'reason', at, false, 500);
    let status: TimelineStatus | null;
    let detail: string | null = null;
    if (source === 'email') {
      status = Object.hasOwn(EMAIL_TYPES, kind) ? EMAIL_TYPES[kind] : null;
      if (status === 'FAILED') detail = reason ? `bounced: ${reason}` : 'bounced';
      else detail = reason;
    } else {
      status = Object.hasOwn(SMS_STATUSES, kind) ? SMS_STATUSES[kind] : null;
      const code = text(item, 'errorCode', at, false, 40);
      if (status === 'FAILED') {
        detail = [kind, code, reason].filter(Boolean).join(': ');
      }
    }
    return {
      providerEventId: text(item, 'id', at, true)!,
      ...ours(messageId),
      providerMessageId,
      status,
      at: time(item, at),
      detail,
      workspaceId: null,
    };
  });
}
