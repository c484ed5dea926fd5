// A phone system's call events, as it posts them, and the checks before any is stored.
//
//   POST /webhooks/calls            (through the gateway)
//   Content-Type: application/json
//   X-Signature: hex(HMAC-SHA256(key = the workspace's call-connection secret,
//                                message = the raw body))
//
//   { "connection_id": "5d0c1f9e-…",  "timestamp": 1764000000,
//     "event": "ended",               "call_id": "pbx-20251124-0001",
//     "at": 1763999990,               "direction": "INBOUND",
//     "hotline": "1900 6868",         "customer_number": "0912 345 678",
//     "staff": "lan",
//     "result": "ANSWERED", "talk_duration": 95, "recording_url": "https://…" }
//
// `connection_id` is what connectCallProvider returned: it names the workspace and
// the secret. `timestamp` is when the body was sent, in seconds: accepted within
// EVENT_FRESHNESS_MS of now either way, so a captured body cannot be replayed later.
// `event` is `started` (it rings), `answered` (picked up) or `ended`; `at` (seconds,
// `timestamp` when left out) is when that happened. `call_id` is the phone system's
// id of the call. Every event carries `direction`, `hotline` and `customer_number`;
// `staff` (our user id of who handled it) may come with any. `result` (ANSWERED,
// MISSED, BUSY, FAILED or VOICEMAIL) is required on `ended`, with optional
// `talk_duration` (seconds) and `recording_url` (https); on other events those three
// are ignored, as is any field not named here.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isUuid } from '@customer-graph/runtime';
import { CALL_EVENT_KINDS } from './call.events';
import type { CallEvent, CallEventKind } from './call.events';
import * as check from './call.input';

export const SIGNATURE_HEADER = 'x-signature';
/** How far (either way) an event's timestamp may be from now when it arrives. */
export const EVENT_FRESHNESS_MS = 5 * 60_000;

/** A request refused: the HTTP status, the reason sent back, the field when one is at fault. */
export class EventRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** An event checked whole, for the workspace its connection names. */
export interface WireCallEvent extends Omit<CallEvent, 'bodySha256'> {
  /** The phone system's id of the call. */
  callId: string;
  /** When the body was sent. */
  sentAt: Date;
}

const obj = (v: unknown) =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;

/** The body as an object, and the connection it names (a uuid, else null: no connection). */
export function connectionOf(raw: Buffer): {
  body: Record<string, unknown>;
  connectionId: string | null;
} {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new EventRefused(400, 'body is not JSON');
  }
  const body = obj(parsed);
  if (!body) throw new EventRefused(400, 'body is not an object');
  const id = body.connection_id;
  if (typeof id !== 'string') {
    throw new EventRefused(400, 'missing or invalid field connection_id', 'connection_id');
  }
  return { body, connectionId: isUuid(id) ? id.toLowerCase() : null };
}

function seconds(value: unknown, field: string): Date {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new EventRefused(
      400,
      `missing or invalid field ${field} (seconds since the epoch)`,
      field,
    );
  }
  return new Date(value * 1000);
}

/** Checks the rest of a signed body; throws EventRefused(400) naming the field. */
export function parseCallEvent(body: Record<string, unknown>): WireCallEvent {
  const sentAt = seconds(body.timestamp, 'timestamp');
  const kind = body.event;
  if (typeof kind !== 'string' || !(CALL_EVENT_KINDS as readonly string[]).includes(kind)) {
    throw new EventRefused(400, `event must be one of ${CALL_EVENT_KINDS.join(', ')}`, 'event');
  }
  const ended = kind === 'ended';
  try {
    const number = check.customerNumber(body.customer_number, 'customer_number');
    return {
      kind: kind as CallEventKind,
      callId: check.providerCallId(body.call_id, 'call_id'),
      sentAt,
      at: body.at === undefined ? sentAt : seconds(body.at, 'at'),
      hotline: check.hotline(body.hotline, 'hotline'),
      customerNumber: number.number,
      customerE164: number.e164,
      direction: check.direction(body.direction, 'direction'),
      staff: check.staff(body.staff, 'staff'),
      result: ended ? check.result(body.result, 'result') : null,
      talkSeconds:
        ended && body.talk_duration != null
          ? check.duration(body.talk_duration, 'talk_duration')
          : null,
      recordingUrl: ended ? check.recordingUrl(body.recording_url, 'recording_url') : null,
    };
  } catch (error) {
    if (!(error instanceof check.BadCallValue)) throw error;
    throw new EventRefused(400, `${error.field} ${error.message}`, error.field);
  }
}

/** Whether an event sent at `at` may be accepted at `now`. */
export function isFresh(at: Date, now = Date.now()): boolean {
  return Math.abs(now - at.getTime()) <= EVENT_FRESHNESS_MS;
}

/** The X-Signature a phone system sends with `raw` for this secret. */
export function callEventSignature(raw: Buffer, secret: string): string {
  return createHmac('sha256', secret).update(raw).digest('hex');
}

/** Compares in constant time (for equal lengths; the length is no secret). */
export function signatureMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given.toLowerCase());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A delivery's identity for de-duplication: SHA-256 of the raw body. */
export const bodyHash = (raw: Buffer): Buffer => createHash('sha256').update(raw).digest();
