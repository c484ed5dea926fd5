// Delivery reports on real Postgres: the email and SMS webhooks (signature, freshness,
// replays, shuffled/duplicated/late reports against an expectation computed here),
// unsubscribes opting the customer out, and Zalo statuses relayed by followers.
import { randomBytes, randomUUID } from 'node:crypto';
import { CONSENT_CHANGED, ZALO_MESSAGE_STATUS, createEvent, uuidv7 } from '@customer-graph/runtime';
import type { DataSource } from 'typeorm';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { marketingSubgraph } from '../src';
import { deliverySignature } from '../src/delivery/delivery.wire';
import { deliveryModule } from '../src/delivery/delivery.module';
import { STATUS_RANK } from '../src/messages/message.entity';
import type { DeliveryStatus, MarketingChannel } from '../src/messages/message.entity';

const EMAIL_SECRET = randomBytes(32).toString('hex');
const SMS_SECRET = randomBytes(32).toString('hex');

let subgraph: TestSubgraph;
let db: DataSource;
let base: string;
beforeAll(async () => {
  subgraph = await startTestSubgraph(marketingSubgraph, {
    emailWebhookSecret: EMAIL_SECRET,
    smsWebhookSecret: SMS_SECRET,
  });
  db = subgraph.db;
  base = subgraph.url.replace('/graphql', '/webhooks');
});
afterAll(() => subgraph?.stop());

const newWs = () => `dl-${randomBytes(4).toString('hex')}`;
const SENT_AT = Date.UTC(2026, 0, 1);

/** Messages as the sender leaves them: SENT, with their `send` timeline row. */
async function insertMessages(
  ws: string,
  n: number,
  options: { channel?: MarketingChannel; createdAt?: Date[]; customerId?: string } = {},
) {
  const months = options.createdAt ?? [new Date(Date.now() - 40 * 86_400_000), new Date()];
  const rows = Array.from({ length: n }, (_, i) => {
    const createdAt = months[i % months.length];
    return {
      id: uuidv7(createdAt.getTime()),
      createdAt,
      customerId: options.customerId ?? randomUUID(),
      providerMessageId: `p-${randomBytes(6).toString('hex')}`,
    };
  });
  await db.query(
    `WITH r AS (SELECT * FROM unnest($2::uuid[], $3::timestamptz[], $4::uuid[], $5::text[])
                  AS r(id, created_at, customer_id, provider_message_id)),
     m AS (INSERT INTO marketing_message (id, workspace_id, customer_id, campaign_name, channel,
             status, status_at, send_state, provider_message_id, sent_at, created_at)
           SELECT id, $1, customer_id, 'Tết', $6, 'SENT', $7, 'DONE', provider_message_id, $7,
                  created_at FROM r RETURNING 1)
     INSERT INTO message_event (workspace_id, message_id, message_created_at, status, at,
                                provider_event_id)
     SELECT $1, id, created_at, 'SENT', $7, 'send' FROM r`,
    [
      ws,
      rows.map((r) => r.id),
      rows.map((r) => r.createdAt),
      rows.map((r) => r.customerId),
      rows.map((r) => r.providerMessageId),
      options.channel ?? 'EMAIL',
      new Date(SENT_AT),
    ],
  );
  return rows;
}

async function post(
  source: 'email' | 'sms',
  body: unknown,
  options: { secret?: string; timestamp?: number } = {},
) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const secret = options.secret ?? (source === 'email' ? EMAIL_SECRET : SMS_SECRET);
  const res = await fetch(`${base}/${source}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-timestamp': timestamp,
      'x-signature': deliverySignature(secret, timestamp, Buffer.from(raw)),
    },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function stateOf(ws: string) {
  const messages: {
    id: string;
    status: DeliveryStatus;
    statusAt: Date;
    failureReason: string | null;
  }[] = await db.query(
    `SELECT id, status, status_at AS "statusAt", failure_reason AS "failureReason"
       FROM marketing_message WHERE workspace_id = $1`,
    [ws],
  );
  const events: { messageId: string; status: string; at: Date; providerEventId: string }[] =
    await db.query(
      `SELECT message_id AS "messageId", status, at, provider_event_id AS "providerEventId"
         FROM message_event WHERE workspace_id = $1`,
      [ws],
    );
  return { messages, events };
}

const count = async (sql: string, params: unknown[]) => Number((await db.query(sql, params))[0].n);

const consentEvents = (ws: string) =>
  db.query(`SELECT value FROM outbox WHERE workspace_id = $1 AND topic = $2 ORDER BY seq`, [
    ws,
    CONSENT_CHANGED,
  ]) as Promise<{ value: { payload: Record<string, unknown> } }[]>;

function shuffle<T>(list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

const EMAIL_STATUS: Record<string, DeliveryStatus | null> = {
  delivered: 'DELIVERED',
  bounced: 'FAILED',
  opened: 'OPENED',
  clicked: 'CLICKED',
  deferred: null,
};

it('applies shuffled, duplicated and late email reports as their set implies', async () => {
  const ws = newWs();
  const messages = await insertMessages(ws, 60);
  type Report = { id: string; messageId: string; type: string; at: string; reason?: string };
  const reports: Report[] = [];
  for (const message of messages) {
    const kinds = Object.keys(EMAIL_STATUS).filter(() => Math.random() < 0.5);
    kinds.forEach((type, k) =>
      reports.push({
        id: `e-${message.id}-${k}`,
        messageId: message.id,
        type,
        at: new Date(SENT_AT + 1000 + Math.floor(Math.random() * 100_000)).toISOString(),
        ...(type === 'bounced' && { reason: `550 5.1.1 mailbox ${k} unavailable` }),
      }),
    );
  }
  // The expectation, from the distinct reports alone.
  const expected = new Map(
    messages.map((m) => {
      const own = reports.filter((r) => r.messageId === m.id && EMAIL_STATUS[r.type]);
      const top = Math.max(STATUS_RANK.SENT, ...own.map((r) => STATUS_RANK[EMAIL_STATUS[r.type]!]));
      const best = own
        .filter((r) => STATUS_RANK[EMAIL_STATUS[r.type]!] === top)
        .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))[0];
      return [
        m.id,
        {
          status: best ? EMAIL_STATUS[best.type] : 'SENT',
          statusAt: best ? new Date(best.at) : new Date(SENT_AT),
          failureReason: best?.type === 'bounced' ? `bounced: ${best.reason}` : null,
          timeline: ['send', ...own.map((r) => r.id)].sort(),
        },
      ];
    }),
  );
  // Every report once or twice, shuffled, in requests of various sizes, two at a time.
  const sent = shuffle([...reports, ...reports.filter(() => Math.random() < 0.3)]);
  const requests: Report[][] = [];
  for (let i = 0; i < sent.length;) {
    const size = 1 + Math.floor(Math.random() * 40);
    requests.push(sent.slice(i, i + size));
    i += size;
  }
  let applied = 0;
  for (let i = 0; i < requests.length; i += 2) {
    const answers = await Promise.all(
      requests.slice(i, i + 2).map((events) => post('email', { events })),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      applied += answer.body.applied;
    }
  }
  const distinct = reports.filter((r) => EMAIL_STATUS[r.type]).length;
  expect(applied).toBe(distinct);
  const state = await stateOf(ws);
  for (const message of state.messages) {
    const want = expected.get(message.id)!;
    expect({ ...message, timeline: undefined }).toEqual({
      id: message.id,
      status: want.status,
      statusAt: want.statusAt,
      failureReason: want.failureReason,
      timeline: undefined,
    });
    const timeline = state.events
      .filter((e) => e.messageId === message.id)
      .map((e) => e.providerEventId)
      .sort();
    expect(timeline).toEqual(want.timeline);
  }
});

it('never lets a late lower status or a duplicate undo a later one', async () => {
  const ws = newWs();
  const [message] = await insertMessages(ws, 1, { createdAt: [new Date()] });
  const at = (s: number) => new Date(SENT_AT + s * 1000).toISOString();
  const opened = { id: 'o1', messageId: message.id, type: 'opened', at: at(20) };
  expect((await post('email', { events: [opened] })).body).toMatchObject({ applied: 1 });
  const late = await post('email', {
    events: [
      { id: 'd1', messageId: message.id, type: 'delivered', at: at(10) },
      { ...opened, at: at(5) },
    ],
  });
  expect(late.body).toMatchObject({ applied: 1, repeated: 1 });
  const { messages } = await stateOf(ws);
  expect(messages[0]).toMatchObject({ status: 'OPENED', statusAt: new Date(at(20)) });
});

it('refuses a bad signature or a stale timestamp and stores nothing', async () => {
  const ws = newWs();
  const [message] = await insertMessages(ws, 1);
  const body = {
    events: [
      { id: 'u1', messageId: message.id, type: 'unsubscribed', at: new Date().toISOString() },
    ],
  };
  const forged = await post('email', body, { secret: randomBytes(32).toString('hex') });
  expect(forged).toEqual({ status: 401, body: { error: 'signature does not match' } });
  const crossed = await post('sms', body, { secret: EMAIL_SECRET });
  expect(crossed.status).toBe(401);
  const stale = await post('email', body, { timestamp: Math.floor(Date.now() / 1000) - 301 });
  expect(stale).toEqual({
    status: 401,
    body: { error: 'timestamp is outside the accepted window' },
  });
  const unsigned = await fetch(`${base}/email`, { method: 'POST', body: JSON.stringify(body) });
  expect(unsigned.status).toBe(401);
  expect((await stateOf(ws)).events.map((e) => e.providerEventId)).toEqual(['send']);
  expect(
    await count('SELECT count(*) AS n FROM channel_consent WHERE workspace_id = $1', [ws]),
  ).toBe(0);
  expect(await consentEvents(ws)).toEqual([]);
  // No webhook_delivery row was written by a refusal: the same body, signed, is new.
  expect((await post('email', body)).body).toMatchObject({ applied: 1, optedOut: 1 });
});

it('applies a replayed body once', async () => {
  const ws = newWs();
  const [message] = await insertMessages(ws, 1);
  const body = JSON.stringify({
    events: [{ id: 'd1', messageId: message.id, type: 'delivered', at: new Date().toISOString() }],
  });
  const first = await post('email', body);
  expect(first.body).toMatchObject({ ok: true, applied: 1 });
  const again = await post('email', body);
  expect(again).toEqual({ status: 200, body: { ok: true, duplicate: true } });
  expect((await stateOf(ws)).events).toHaveLength(2);
});

it('opts the customer out on an unsubscribe or a complaint, once, through the outbox', async () => {
  const ws = newWs();
  const customerId = randomUUID();
  const [a, b] = await insertMessages(ws, 2, { customerId });
  const now = new Date().toISOString();
  const answer = await post('email', {
    events: [
      { id: 'u1', messageId: a.id, type: 'unsubscribed', at: now },
      { id: 'c1', messageId: b.id, type: 'complained', at: now },
    ],
  });
  expect(answer.body).toMatchObject({ applied: 2, optedOut: 1 });
  const [consent] = await db.query(
    `SELECT channel, opted_out AS "optedOut", reason, version, changed_by AS "changedBy"
       FROM channel_consent WHERE workspace_id = $1 AND customer_id = $2`,
    [ws, customerId],
  );
  expect(consent).toMatchObject({ channel: 'EMAIL', optedOut: true, version: 1, changedBy: null });
  expect((await consentEvents(ws)).map((e) => e.value.payload)).toEqual([
    { customerId, channel: 'EMAIL', optedOut: true, version: 1, reason: consent.reason },
  ]);
  // The timeline shows it; the status stays what delivery reached.
  const state = await stateOf(ws);
  expect(state.events.map((e) => e.status).sort()).toEqual(
    ['COMPLAINED', 'SENT', 'SENT', 'UNSUBSCRIBED'].sort(),
  );
  expect(state.messages.map((m) => m.status)).toEqual(['SENT', 'SENT']);
  // Already opted out: a later unsubscribe publishes nothing new.
  await post('email', { events: [{ id: 'u2', messageId: b.id, type: 'unsubscribed', at: now }] });
  expect(await consentEvents(ws)).toHaveLength(1);
});

it('maps SMS reports, and ignores reports of unknown or other channels’ messages', async () => {
  const ws = newWs();
  const sms = await insertMessages(ws, 3, { channel: 'SMS' });
  const [email] = await insertMessages(ws, 1, { channel: 'EMAIL' });
  const now = new Date().toISOString();
  const answer = await post('sms', {
    reports: [
      { id: 'r1', messageId: sms[0].id, status: 'DELIVERED', at: now },
      {
        id: 'r2',
        messageId: sms[1].id,
        status: 'EXPIRED',
        at: now,
        errorCode: 12,
        reason: 'handset off',
      },
      // Named by the provider's id only (an older message whose id is not ours).
      {
        id: 'r3',
        messageId: 'legacy-1',
        providerMessageId: sms[2].providerMessageId,
        status: 'REJECTED',
        at: now,
      },
      { id: 'r4', messageId: uuidv7(), status: 'DELIVERED', at: now },
      { id: 'r5', messageId: email.id, status: 'DELIVERED', at: now },
      { id: 'r6', messageId: sms[0].id, status: 'ACCEPTED', at: now },
    ],
  });
  expect(answer.body).toEqual({
    ok: true,
    received: 6,
    applied: 3,
    repeated: 0,
    unknown: 2,
    ignored: 1,
    optedOut: 0,
  });
  const byId = new Map((await stateOf(ws)).messages.map((m) => [m.id, m]));
  expect(byId.get(sms[0].id)).toMatchObject({ status: 'DELIVERED', failureReason: null });
  expect(byId.get(sms[1].id)).toMatchObject({
    status: 'FAILED',
    failureReason: 'EXPIRED: 12: handset off',
  });
  expect(byId.get(sms[2].id)).toMatchObject({ status: 'FAILED', failureReason: 'REJECTED' });
  expect(byId.get(email.id)).toMatchObject({ status: 'SENT' });
});

it('refuses an invalid body naming the field, storing nothing', async () => {
  const ws = newWs();
  const [message] = await insertMessages(ws, 1);
  const now = new Date().toISOString();
  const bad = await post('email', {
    events: [
      { id: 'd1', messageId: message.id, type: 'delivered', at: now },
      { id: 'd2', messageId: message.id, type: 'opened', at: 'yesterday' },
    ],
  });
  expect(bad).toEqual({
    status: 400,
    body: { error: 'events[1].at: must be an ISO time', field: 'events[1].at' },
  });
  const many = await post('sms', {
    reports: Array.from({ length: 1001 }, (_, i) => ({
      id: `r${i}`,
      messageId: message.id,
      status: 'DELIVERED',
      at: now,
    })),
  });
  expect(many.body.field).toBe('reports');
  expect((await stateOf(ws)).events).toHaveLength(1);
});

it('applies Zalo statuses relayed by followers, in the event’s workspace only', async () => {
  const ws = newWs();
  const other = newWs();
  const [zns, oa] = await insertMessages(ws, 2, { channel: 'ZNS', createdAt: [new Date()] });
  const [theirs] = await insertMessages(other, 1, { channel: 'ZNS', createdAt: [new Date()] });
  const status = (
    workspaceId: string,
    payload: { status: 'DELIVERED' | 'SEEN'; zaloMessageId: string; trackingId: string | null },
  ) =>
    createEvent({
      type: ZALO_MESSAGE_STATUS,
      workspaceId,
      key: payload.trackingId ?? payload.zaloMessageId,
      payload: { oaId: 'oa-1', at: new Date().toISOString(), ...payload },
    });
  await applyEvents(
    db,
    deliveryModule,
    status(ws, { status: 'DELIVERED', zaloMessageId: 'z1', trackingId: zns.id }),
    status(ws, { status: 'SEEN', zaloMessageId: 'z1', trackingId: zns.id }),
    status(ws, { status: 'SEEN', zaloMessageId: 'z1', trackingId: zns.id }),
    // No tracking id: found by Zalo's message id.
    status(ws, { status: 'DELIVERED', zaloMessageId: oa.providerMessageId, trackingId: null }),
    // Another workspace's message, named in this workspace's event: ignored.
    status(ws, { status: 'SEEN', zaloMessageId: 'z9', trackingId: theirs.id }),
  );
  const byId = new Map((await stateOf(ws)).messages.map((m) => [m.id, m.status]));
  expect(byId.get(zns.id)).toBe('OPENED');
  expect(byId.get(oa.id)).toBe('DELIVERED');
  expect((await stateOf(other)).messages[0].status).toBe('SENT');
  expect((await stateOf(ws)).events.filter((e) => e.messageId === zns.id)).toHaveLength(3);
});
