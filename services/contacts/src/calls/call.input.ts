// Checking what a phone system or a script sends about a call, before anything is
// written: the same checks for `recordCalls` (a bad call becomes a rejection naming
// its field) and for the webhook (a 400 naming it). The customer's number goes
// through the runtime's one phone module; the staff member's id through the customer
// record's own rule.
import { GraphQLError } from 'graphql';
import { toE164 } from '@customer-graph/runtime';
import type { CallInput } from '../generated/graphql';
import { userId } from '../customers/customer.input';
import { CALL_DIRECTIONS, CALL_RESULTS } from './call.entity';
import type { CallDirection, CallResult } from './call.entity';

/** The most calls one `recordCalls` may carry. */
export const MAX_CALLS_PER_REQUEST = 500;
/** The longest a call may ring or last, in seconds (a day). */
export const MAX_SECONDS = 86_400;
/** How far in the future a call may be said to start (clocks disagree a little). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const MAX_NOTE = 2000;
const MAX_URL = 2000;

/** A value refused: the field at fault and why. */
export class BadCallValue extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(reason);
  }
}

function trimmed(value: unknown, field: string, max: number): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new BadCallValue(field, 'must be a string');
  const text = value.normalize('NFC').trim();
  if (text.length > max) throw new BadCallValue(field, `is longer than ${max} characters`);
  return text === '' ? null : text;
}

function required(value: unknown, field: string, max: number): string {
  const text = trimmed(value, field, max);
  if (text === null) throw new BadCallValue(field, 'must not be empty');
  return text;
}

export function providerCallId(value: unknown, field: string): string {
  const id = required(value, field, 128);
  if (/\p{Cc}/u.test(id)) throw new BadCallValue(field, 'must not hold control characters');
  return id;
}

/** A hotline as given: digits with the usual separators (`1900 6868`, `+84 28 3822 1234`). */
export function hotline(value: unknown, field: string): string {
  const number = required(value, field, 32);
  if (!/^\+?[0-9][0-9 .()-]*$/.test(number) || number.replace(/\D/g, '').length < 3) {
    throw new BadCallValue(field, `"${number}" is not a phone number`);
  }
  return number;
}

export function customerNumber(value: unknown, field: string): { number: string; e164: string } {
  const number = required(value, field, 32);
  const e164 = toE164(number);
  if (!e164) throw new BadCallValue(field, `"${number}" is not a valid phone number`);
  return { number, e164 };
}

function oneOf<T extends string>(values: readonly T[], value: unknown, field: string): T {
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw new BadCallValue(field, `must be one of ${values.join(', ')}`);
  }
  return value as T;
}

export const direction = (value: unknown, field: string): CallDirection =>
  oneOf(CALL_DIRECTIONS, value, field);

export const result = (value: unknown, field: string): CallResult =>
  oneOf(CALL_RESULTS, value, field);

export function duration(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_SECONDS) {
    throw new BadCallValue(field, `must be a whole number of seconds from 0 to ${MAX_SECONDS}`);
  }
  return value;
}

/** A staff member's user id, by the rule the customer record applies to `assignedStaff`. */
export function staff(value: unknown, field: string): string | null {
  const text = trimmed(value, field, 128);
  try {
    return userId(text, field);
  } catch (error) {
    if (error instanceof GraphQLError) throw new BadCallValue(field, error.message);
    throw error;
  }
}

/** A recording's address: https only (it is played in the seller's browser). */
export function recordingUrl(value: unknown, field: string): string | null {
  const text = trimmed(value, field, MAX_URL);
  if (text === null) return null;
  const url = URL.canParse(text) ? new URL(text) : null;
  if (!url || url.protocol !== 'https:' || url.hostname === '') {
    throw new BadCallValue(field, `"${text}" is not an https URL`);
  }
  return url.toString();
}

export function startedAt(value: unknown, field: string, now = Date.now()): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw new BadCallValue(field, 'is not a date-time');
  if (date.getTime() > now + FUTURE_TOLERANCE_MS) {
    throw new BadCallValue(field, 'is in the future');
  }
  return date;
}

/** A call of `recordCalls` that passed every check, with its derived times. */
export interface CheckedCall {
  index: number;
  providerCallId: string;
  hotline: string;
  customerNumber: string;
  customerE164: string;
  direction: CallDirection;
  result: CallResult;
  startedAt: Date;
  answeredAt: Date | null;
  endedAt: Date;
  ringSeconds: number;
  talkSeconds: number;
  staff: string | null;
  note: string | null;
  recordingUrl: string | null;
}

export interface RejectedCall {
  index: number;
  providerCallId: string;
  field: string;
  reason: string;
}

function check(input: CallInput, index: number): CheckedCall {
  const number = customerNumber(input.customerNumber, 'customerNumber');
  const outcome = result(input.result, 'result');
  const start = startedAt(input.startedAt, 'startedAt');
  const ring = duration(input.ringDuration ?? 0, 'ringDuration');
  const talk = duration(input.talkDuration ?? 0, 'talkDuration');
  if (talk > 0 && outcome !== 'ANSWERED') {
    throw new BadCallValue('talkDuration', `a call with result ${outcome} has no talk time`);
  }
  // An answered call was picked up when it stopped ringing; every call ends after
  // ringing and talking: the times a webhook would have brought.
  const at = (s: number) => new Date(start.getTime() + s * 1000);
  return {
    index,
    providerCallId: providerCallId(input.providerCallId, 'providerCallId'),
    hotline: hotline(input.hotline, 'hotline'),
    customerNumber: number.number,
    customerE164: number.e164,
    direction: direction(input.direction, 'direction'),
    result: outcome,
    startedAt: start,
    answeredAt: outcome === 'ANSWERED' ? at(ring) : null,
    endedAt: at(ring + talk),
    ringSeconds: ring,
    talkSeconds: talk,
    staff: staff(input.staff, 'staff'),
    note: trimmed(input.note, 'note', MAX_NOTE),
    recordingUrl: recordingUrl(input.recordingUrl, 'recordingUrl'),
  };
}

/** Checks one call: the normalised call, or why it is refused. */
export function checkCall(input: CallInput, index: number): CheckedCall | RejectedCall {
  try {
    return check(input, index);
  } catch (error) {
    if (!(error instanceof BadCallValue)) throw error;
    return {
      index,
      providerCallId: input.providerCallId,
      field: error.field,
      reason: error.message,
    };
  }
}

export const isRejected = (c: CheckedCall | RejectedCall): c is RejectedCall => 'reason' in c;
