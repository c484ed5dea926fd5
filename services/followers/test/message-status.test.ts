// Zalo's message statuses on real Postgres: user_received_message (a ZNS receipt, the
// OA as sender) and user_seen_message (msg_ids, the OA as recipient) are checked as any
// webhook event and passed on as followers.zalo.message-status through the outbox, once.
import { randomBytes } from 'node:crypto';
import { ZALO_MESSAGE_STATUS, uuidv7 } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { followersSubgraph, zaloSignature } from '../src';

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(followersSubgraph);
});
afterAll(() => subgraph?.stop());

async function connectOA(workspaceId: string) {
  const oaId = `oa-${randomBytes(4).toString('hex')}`;
  const secret = `secret-${randomBytes(8).toString('hex')}`;
  const admin: Identity = { workspaceId, userId: 'admin', role: 'admin' };
  const body = await subgraph.query(
    admin,
    `mutation($oa: String!, $key: String!) {
       connectZaloOA(oaId: $oa, appId: "app-1", secretKey: $key) { status } }`,
    { oa: oaId, key: secret },
  );
  expect(body.errors).toBeUndefined();
  return { oaId, secret };
}

async function post(raw: string, secret: string) {
  const timestamp = String(JSON.parse(raw).timestamp);
  const res = await fetch(subgraph.url.replace('/graphql', '/webhooks/zalo'), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-zevent-signature': zaloSignature('app-1', Buffer.from(raw), timestamp, secret),
    },
    body: raw,
  });
  return { status: res.status, body: await res.json() };
}

const published = async (workspaceId: string) =>
  (
    (await subgraph.db.query(
      'SELECT key, value FROM outbox WHERE workspace_id = $1 AND topic = $2 ORDER BY seq',
      [workspaceId, ZALO_MESSAGE_STATUS],
    )) as { key: string; value: { payload: Record<string, unknown> } }[]
  ).map((r) => ({ key: r.key, ...r.value.payload }));

it('passes a ZNS receipt on with its tracking id, once', async () => {
  const ws = `ms-${randomBytes(4).toString('hex')}`;
  const { oaId, secret } = await connectOA(ws);
  const trackingId = uuidv7();
  const deliveredAt = Date.now() - 5_000;
  const raw = JSON.stringify({
    app_id: 'app-1',
    sender: { id: oaId },
    recipient: { id: '84987654321' },
    event_name: 'user_received_message',
    message: { msg_id: 'zns-1', tracking_id: trackingId, delivery_time: String(deliveredAt) },
    timestamp: String(Date.now()),
  });
  expect(await post(raw, secret)).toEqual({ status: 200, body: { ok: true, applied: true } });
  expect(await post(raw, secret)).toEqual({
    status: 200,
    body: { ok: true, applied: false, duplicate: true },
  });
  expect(await published(ws)).toEqual([
    {
      key: trackingId,
      oaId,
      status: 'DELIVERED',
      zaloMessageId: 'zns-1',
      trackingId,
      at: new Date(deliveredAt).toISOString(),
    },
  ]);
});

it('passes each message a seen event names, the OA as recipient', async () => {
  const ws = `ms-${randomBytes(4).toString('hex')}`;
  const { oaId, secret } = await connectOA(ws);
  const timestamp = Date.now();
  const raw = JSON.stringify({
    app_id: 'app-1',
    sender: { id: 'zalo-user-1' },
    recipient: { id: oaId },
    user_id_by_app: 'u-by-app',
    event_name: 'user_seen_message',
    message: { msg_ids: ['oa-m1', 'oa-m2'] },
    timestamp: String(timestamp),
  });
  expect((await post(raw, secret)).status).toBe(200);
  const at = new Date(timestamp).toISOString();
  expect(await published(ws)).toEqual([
    { key: 'oa-m1', oaId, status: 'SEEN', zaloMessageId: 'oa-m1', trackingId: null, at },
    { key: 'oa-m2', oaId, status: 'SEEN', zaloMessageId: 'oa-m2', trackingId: null, at },
  ]);
});

it('refuses a status signed with another secret, or naming no message, and publishes nothing', async () => {
  const ws = `ms-${randomBytes(4).toString('hex')}`;
  const { oaId, secret } = await connectOA(ws);
  const event = (message: object) =>
    JSON.stringify({
      app_id: 'app-1',
      sender: { id: oaId },
      event_name: 'user_received_message',
      message,
      timestamp: String(Date.now()),
    });
  const forged = await post(event({ msg_id: 'm1' }), 'not-the-secret');
  expect(forged).toEqual({ status: 401, body: { error: 'signature does not match' } });
  const empty = await post(event({}), secret);
  expect(empty).toEqual({ status: 400, body: { error: 'missing field message.msg_id' } });
  expect(await published(ws)).toEqual([]);
});
