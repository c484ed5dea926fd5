import {
  EVENT_FRESHNESS_MS,
  EventRefused,
  callEventSignature,
  connectionOf,
  isFresh,
  parseCallEvent,
  signatureMatches,
} from './call-event.wire';

const CONNECTION = '5d0c1f9e-8b7a-4c3d-9e2f-1a2b3c4d5e6f';
const body = {
  connection_id: CONNECTION,
  timestamp: 1_764_000_000,
  event: 'ended',
  call_id: 'pbx-1',
  at: 1_763_999_990,
  direction: 'INBOUND',
  hotline: '1900 6868',
  customer_number: '0912.345.678',
  staff: 'lan',
  result: 'ANSWERED',
  talk_duration: 95,
  recording_url: 'https://pbx.example.vn/rec/1.mp3',
};
const raw = (value: unknown) => Buffer.from(JSON.stringify(value));

function refusal(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof EventRefused) return { status: error.status, field: error.field };
    throw error;
  }
  return 'accepted';
}

describe('reading an event', () => {
  it('reads an ended event, times in seconds, the number in E.164 too', () => {
    const { body: parsed, connectionId } = connectionOf(raw(body));
    expect(connectionId).toBe(CONNECTION);
    expect(parseCallEvent(parsed)).toEqual({
      kind: 'ended',
      callId: 'pbx-1',
      sentAt: new Date(1_764_000_000_000),
      at: new Date(1_763_999_990_000),
      hotline: '1900 6868',
      customerNumber: '0912.345.678',
      customerE164: '+84912345678',
      direction: 'INBOUND',
      staff: 'lan',
      result: 'ANSWERED',
      talkSeconds: 95,
      recordingUrl: 'https://pbx.example.vn/rec/1.mp3',
    });
  });

  it('dates an event by its timestamp when `at` is left out, and ignores ended-only fields before', () => {
    const started = { ...body, event: 'started', at: undefined };
    expect(parseCallEvent(JSON.parse(JSON.stringify(started)))).toMatchObject({
      kind: 'started',
      at: new Date(1_764_000_000_000),
      result: null,
      talkSeconds: null,
      recordingUrl: null,
    });
  });

  it('names the field at fault', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ timestamp: '1764000000' }, 'timestamp'],
      [{ event: 'ringing' }, 'event'],
      [{ call_id: '' }, 'call_id'],
      [{ customer_number: '12' }, 'customer_number'],
      [{ hotline: 'call us' }, 'hotline'],
      [{ direction: 'inbound' }, 'direction'],
      [{ result: undefined }, 'result'],
      [{ talk_duration: -1 }, 'talk_duration'],
      [{ recording_url: 'http://pbx.example.vn/rec/1.mp3' }, 'recording_url'],
      [{ staff: 'Lan Nguyễn' }, 'staff'],
      [{ at: 1.5 }, 'at'],
    ];
    for (const [change, field] of cases) {
      expect(refusal(() => parseCallEvent({ ...body, ...change }))).toEqual({ status: 400, field });
    }
  });

  it('refuses a body that is not an object with a connection id; a non-uuid names no connection', () => {
    expect(refusal(() => connectionOf(Buffer.from('{')))).toEqual({ status: 400 });
    expect(refusal(() => connectionOf(raw([body])))).toEqual({ status: 400 });
    expect(refusal(() => connectionOf(raw({ ...body, connection_id: 7 })))).toEqual({
      status: 400,
      field: 'connection_id',
    });
    expect(connectionOf(raw({ ...body, connection_id: 'x' })).connectionId).toBeNull();
  });
});

describe('signature and freshness', () => {
  it('is the hex HMAC-SHA256 of the raw body, compared in constant time', () => {
    const signature = callEventSignature(raw(body), 'a-secret-of-16+chars');
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(signatureMatches(signature, signature)).toBe(true);
    expect(signatureMatches(signature.toUpperCase(), signature)).toBe(true);
    expect(signatureMatches(signature.slice(1), signature)).toBe(false);
    expect(signatureMatches(callEventSignature(raw(body), 'another-secret-16c'), signature)).toBe(
      false,
    );
  });

  it('accepts a timestamp within five minutes either way', () => {
    const now = 1_764_000_000_000;
    expect(isFresh(new Date(now - EVENT_FRESHNESS_MS), now)).toBe(true);
    expect(isFresh(new Date(now + EVENT_FRESHNESS_MS), now)).toBe(true);
    expect(isFresh(new Date(now - EVENT_FRESHNESS_MS - 1000), now)).toBe(false);
    expect(isFresh(new Date(now + EVENT_FRESHNESS_MS + 1000), now)).toBe(false);
  });
});
