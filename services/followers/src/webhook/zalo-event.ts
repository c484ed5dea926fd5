// Zalo OA webhook events, as Zalo sends them, and the checks before any is stored.
//
// Signature: header X-ZEvent-Signature = "mac=" + hex(SHA-256(app_id + raw body +
// timestamp + the OA's secret key)), where app_id and timestamp are the body's own.
// The timestamp is milliseconds since the epoch; an event is accepted only within
// EVENT_FRESHNESS_MS of it (either way), so a captured body cannot be replayed later.
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
  | { kind: 'other'; appId: string; oaId: string | undefined; name: string; at: Date };

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
  const oaId = str(body.oa_id) ? body.oa_id : obj(body.recipient).id;
  return { kind: 'other', appId, oaId: str(oaId) ? oaId : undefined, name, at };
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
