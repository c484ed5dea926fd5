// How a phone system's events about one call make the call. The call is a function
// of the SET of its events, never of the order they came in: the events are put in
// one canonical order first (kind started < answered < ended, then the event's time,
// then the delivery's SHA-256), and each field is read from that order by a fixed
// rule. Any permutation of the same events — and any repetition of one — gives the
// same call, so a late `started` after `ended` changes the call exactly as far as it
// would have had it come first.
//
// The rules (docs/calls.md):
//   hotline, customer number, direction  the first event
//   staff                                the first event that names one
//   startedAt     `started`'s time; until it comes, the earliest time known
//   answeredAt    `answered`'s time; null without it
//   endedAt       `ended`'s time; null without it
//   result        `ended`'s result; null (in progress) without it
//   ringSeconds   answered − started, or ended − started when not answered; null
//                 without `started`, or with neither of the others
//   talkSeconds   `ended`'s talk_duration; else ended − answered; else 0 when it
//                 ended with another result than ANSWERED; null while not known
//   recordingUrl  the first `ended` that carries one
// "First" of a kind is the earliest by time (the SHA-256 breaks ties); a duration
// never goes below 0 (clocks of a phone system's nodes may disagree by a little).
import type { CallDirection, CallResult } from './call.entity';

export const CALL_EVENT_KINDS = ['started', 'answered', 'ended'] as const;
export type CallEventKind = (typeof CALL_EVENT_KINDS)[number];

/** One event about a call, as checked from the webhook (call-event.wire.ts) and stored. */
export interface CallEvent {
  kind: CallEventKind;
  /** When it happened at the phone system. */
  at: Date;
  hotline: string;
  customerNumber: string;
  customerE164: string;
  direction: CallDirection;
  staff: string | null;
  /** `ended` only. */
  result: CallResult | null;
  /** `ended` only: seconds talked, when the phone system says. */
  talkSeconds: number | null;
  /** `ended` only. */
  recordingUrl: string | null;
  /** Hex SHA-256 of the delivery's body: the last tie-break of the canonical order. */
  bodySha256: string;
}

/** What a call's events say about it. */
export interface FoldedCall {
  hotline: string;
  customerNumber: string;
  customerE164: string;
  direction: CallDirection;
  staff: string | null;
  result: CallResult | null;
  startedAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  ringSeconds: number | null;
  talkSeconds: number | null;
  recordingUrl: string | null;
}

const rank = (kind: CallEventKind) => CALL_EVENT_KINDS.indexOf(kind);

function canonical(a: CallEvent, b: CallEvent): number {
  return (
    rank(a.kind) - rank(b.kind) ||
    a.at.getTime() - b.at.getTime() ||
    (a.bodySha256 < b.bodySha256 ? -1 : a.bodySha256 > b.bodySha256 ? 1 : 0)
  );
}

const seconds = (from: Date, to: Date) =>
  Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

/** The call its events make; throws on an empty list (a call has at least one). */
export function foldCallEvents(events: readonly CallEvent[]): FoldedCall {
  if (events.length === 0) throw new Error('a call is made of at least one event');
  const ordered = [...events].sort(canonical);
  const first = ordered[0];
  const firstOf = (kind: CallEventKind) => ordered.find((e) => e.kind === kind);
  const started = firstOf('started');
  const answered = firstOf('answered');
  const ended = firstOf('ended');
  const endedWith = <T>(pick: (e: CallEvent) => T | null): T | null => {
    for (const e of ordered) {
      const value = e.kind === 'ended' ? pick(e) : null;
      if (value !== null) return value;
    }
    return null;
  };
  const earliest = new Date(Math.min(...ordered.map((e) => e.at.getTime())));
  const startedAt = started?.at ?? earliest;
  const ringEnd = answered?.at ?? ended?.at;
  const talked = endedWith((e) => e.talkSeconds);
  return {
    hotline: first.hotline,
    customerNumber: first.customerNumber,
    customerE164: first.customerE164,
    direction: first.direction,
    staff: ordered.find((e) => e.staff !== null)?.staff ?? null,
    result: ended?.result ?? null,
    startedAt,
    answeredAt: answered?.at ?? null,
    endedAt: ended?.at ?? null,
    ringSeconds: started && ringEnd ? seconds(started.at, ringEnd) : null,
    talkSeconds:
      talked ??
      (answered && ended
        ? seconds(answered.at, ended.at)
        : ended && ended.result !== 'ANSWERED'
          ? 0
          : null),
    recordingUrl: endedWith((e) => e.recordingUrl),
  };
}
