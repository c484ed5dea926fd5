import { createHash } from 'node:crypto';
import { foldCallEvents } from './call.events';
import type { CallEvent } from './call.events';

const T0 = Date.UTC(2026, 1, 3, 2, 30, 0);
const at = (s: number) => new Date(T0 + s * 1000);
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function event(kind: CallEvent['kind'], s: number, fields: Partial<CallEvent> = {}): CallEvent {
  return {
    kind,
    at: at(s),
    hotline: '1900 6868',
    customerNumber: '0912 345 678',
    customerE164: '+84912345678',
    direction: 'INBOUND',
    staff: null,
    result: null,
    talkSeconds: null,
    recordingUrl: null,
    bodySha256: sha(`${kind}@${s}:${JSON.stringify(fields)}`),
    ...fields,
  };
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

const started = event('started', 0);
const answered = event('answered', 12, { staff: 'lan' });
const ended = event('ended', 107, {
  result: 'ANSWERED',
  recordingUrl: 'https://pbx.example.vn/rec/1.mp3',
});

describe('the call its events make', () => {
  it('is the same for every order of started, answered and ended', () => {
    const orders = permutations([started, answered, ended]);
    expect(orders).toHaveLength(6);
    const calls = orders.map(foldCallEvents);
    for (const call of calls) expect(call).toEqual(calls[0]);
    expect(calls[0]).toEqual({
      hotline: '1900 6868',
      customerNumber: '0912 345 678',
      customerE164: '+84912345678',
      direction: 'INBOUND',
      staff: 'lan',
      result: 'ANSWERED',
      startedAt: at(0),
      answeredAt: at(12),
      endedAt: at(107),
      ringSeconds: 12,
      talkSeconds: 95,
      recordingUrl: 'https://pbx.example.vn/rec/1.mp3',
    });
  });

  it('is the same for every order of a missed call’s events, repeats included', () => {
    const missed = event('ended', 30, { result: 'MISSED' });
    const calls = permutations([started, missed, started, missed]).map(foldCallEvents);
    for (const call of calls) expect(call).toEqual(calls[0]);
    expect(calls[0]).toMatchObject({
      result: 'MISSED',
      startedAt: at(0),
      answeredAt: null,
      endedAt: at(30),
      // Rang until it ended; nobody talked.
      ringSeconds: 30,
      talkSeconds: 0,
    });
  });

  it('is the same for every order when retries of one kind disagree: the earliest wins', () => {
    const lateStart = event('started', 2, { staff: 'minh', hotline: '1800 1234' });
    const retriedEnd = event('ended', 110, { result: 'ANSWERED', talkSeconds: 90 });
    const all = [started, lateStart, answered, ended, retriedEnd];
    const calls = permutations(all).map(foldCallEvents);
    expect(calls).toHaveLength(120);
    for (const call of calls) expect(call).toEqual(calls[0]);
    expect(calls[0]).toMatchObject({
      hotline: '1900 6868',
      // The first event naming a staff member is the later `started`.
      staff: 'minh',
      startedAt: at(0),
      endedAt: at(107),
      // The first `ended` gives none; a later one does.
      talkSeconds: 90,
      recordingUrl: 'https://pbx.example.vn/rec/1.mp3',
    });
  });

  it('takes the talk time the phone system gives over the one the times make', () => {
    const withTalk = event('ended', 107, { result: 'ANSWERED', talkSeconds: 93 });
    expect(foldCallEvents([started, answered, withTalk])).toMatchObject({ talkSeconds: 93 });
  });

  it('knows what it can before every event came', () => {
    expect(foldCallEvents([started])).toEqual({
      hotline: '1900 6868',
      customerNumber: '0912 345 678',
      customerE164: '+84912345678',
      direction: 'INBOUND',
      staff: null,
      result: null,
      startedAt: at(0),
      answeredAt: null,
      endedAt: null,
      ringSeconds: null,
      talkSeconds: null,
      recordingUrl: null,
    });
    // Ringing ended when it was picked up; still in progress.
    expect(foldCallEvents([answered, started])).toMatchObject({
      result: null,
      ringSeconds: 12,
      talkSeconds: null,
      staff: 'lan',
    });
    // Without `started`, the call starts at the earliest time known and its ring is unknown.
    expect(foldCallEvents([ended, answered])).toMatchObject({
      startedAt: at(12),
      ringSeconds: null,
      talkSeconds: 95,
    });
    // Ended answered, the answer not come yet: the talk time is not known.
    expect(foldCallEvents([ended])).toMatchObject({
      startedAt: at(107),
      result: 'ANSWERED',
      talkSeconds: null,
    });
  });

  it('never counts a duration below 0 when the phone system’s clocks disagree', () => {
    const early = event('answered', -3);
    expect(foldCallEvents([started, early])).toMatchObject({ ringSeconds: 0 });
  });

  it('takes who, which way and which numbers from the first event', () => {
    const outbound = event('answered', 12, {
      direction: 'OUTBOUND',
      customerNumber: '+84912345678',
    });
    expect(foldCallEvents([outbound, started])).toMatchObject({
      direction: 'INBOUND',
      customerNumber: '0912 345 678',
    });
  });

  it('needs at least one event', () => {
    expect(() => foldCallEvents([])).toThrow('at least one event');
  });
});
