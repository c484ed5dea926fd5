// The first cross-subgraph flow, end to end: a Zalo OA follower shares a phone
// (a signed webhook at the gateway), followers publishes, contacts links or creates
// the customer, followers learns the link — all through the real broker.
import { randomBytes } from 'node:crypto';
import { DEMO_CUSTOMERS } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { zaloSignature } from '@customer-graph/followers';
import { startTestStack } from './stack';
import { eventually, submitInfoBody } from './webhooks';
import type { TestStack } from './stack';

const ws = `zalo-${randomBytes(3).toString('hex')}`;
const admin: Identity = { workspaceId: ws, userId: 'admin', role: 'admin' };
const oaId = `oa${randomBytes(4).toString('hex')}`;
const appId = 'app-4321';
const secret = 'oa-secret-key-1';

let stack: TestStack;
let token: string;

function webhookBody(event: Record<string, unknown>) {
  return JSON.stringify({
    app_id: appId,
    user_id_by_app: 'uba',
    timestamp: String(Date.now()),
    ...event,
  });
}

async function postWebhook(body: string, signature?: string | null, key = secret) {
  let sig = signature;
  if (sig === undefined) {
    const { app_id, timestamp } = JSON.parse(body);
    sig = zaloSignature(app_id, Buffer.from(body), timestamp, key);
  }
  const res = await fetch(stack.gateway.url.replace('/graphql', '/webhooks/zalo'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(sig ? { 'x-zevent-signature': sig } : {}) },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const submitInfo = (userId: string, info: Record<string, unknown>) =>
  submitInfoBody({ oaId, appId, secret }, userId, info);

const BY_PHONE = `query($phone: String!) { customerByPhone(phone: $phone) {
  id name address city type phones { number e164 } externalIds { source id }
  zaloFollower { zaloUserId displayName phone customer { id } } } }`;

beforeAll(async () => {
  stack = await startTestStack(ws);
  token = await stack.token(admin);
  const connected = await stack.query(
    token,
    'mutation($o: String!, $a: String!, $s: String!) { connectZaloOA(oaId: $o, appId: $a, secretKey: $s) { oaId appId } }',
    { o: oaId, a: appId, s: secret },
  );
  if (connected.body.errors) throw new Error(JSON.stringify(connected.body.errors));
}, 60_000);

afterAll(() => stack?.stop());

describe('a follower shares a phone', () => {
  it('links an existing customer, filling only empty fields', async () => {
    const demo = DEMO_CUSTOMERS[3]; // typed "0168 123 4567": an old 11-digit number
    expect(
      (
        await postWebhook(
          webhookBody({ event_name: 'follow', oa_id: oaId, follower: { id: 'z-ha' } }),
        )
      ).status,
    ).toBe(200);
    const shared = await postWebhook(
      submitInfo('z-ha', {
        name: 'Hà Zalo',
        phone: '+84 38 123 4567',
        address: '12 Lê Lợi',
        city: 'Hải Phòng',
      }),
    );
    expect(shared).toEqual({ status: 200, body: { ok: true, applied: true } });
    const { body } = await eventually(
      () => stack.query(token, BY_PHONE, { phone: '01681234567' }),
      // The demo customer has demo orders: a CUSTOMER once orders' figures arrive.
      (r) =>
        !!(r.body.data?.customerByPhone as any)?.zaloFollower?.customer &&
        (r.body.data?.customerByPhone as any)?.type === 'CUSTOMER',
    );
    expect(body.data!.customerByPhone).toEqual({
      id: demo.id,
      name: demo.name, // typed by a person: kept
      address: '12 Lê Lợi', // was empty: filled
      city: demo.city,
      type: 'CUSTOMER',
      phones: [{ number: demo.phone, e164: '+84381234567' }],
      externalIds: [{ source: 'ZALO', id: 'z-ha' }],
      zaloFollower: {
        zaloUserId: 'z-ha',
        displayName: 'Hà Zalo',
        phone: '+84 38 123 4567',
        customer: { id: demo.id },
      },
    });
  });

  it('creates a LEAD when no customer has the phone', async () => {
    expect(
      (await postWebhook(submitInfo('z-new', { name: 'Khách Mới', phone: '0977.000.111' }))).status,
    ).toBe(200);
    const { body } = await eventually(
      () => stack.query(token, BY_PHONE, { phone: '+84977000111' }),
      (r) => !!(r.body.data?.customerByPhone as any)?.zaloFollower,
    );
    expect(body.data!.customerByPhone).toMatchObject({
      name: 'Khách Mới',
      type: 'LEAD',
      phones: [{ number: '0977.000.111', e164: '+84977000111' }],
      zaloFollower: { zaloUserId: 'z-new' },
    });
    const followers = await stack.query(
      token,
      '{ followers(filter: { linked: true }) { edges { node { zaloUserId customer { name } } } } }',
    );
    expect((followers.body.data!.followers as any).edges.map((e: any) => e.node)).toEqual(
      expect.arrayContaining([{ zaloUserId: 'z-new', customer: { name: 'Khách Mới' } }]),
    );
  });

  it('makes one customer of a phone shared by many followers at once, and twice', async () => {
    const users = Array.from({ length: 12 }, (_, i) => `z-race-${i}`);
    const results = await Promise.all(
      [...users, ...users].map((u, i) =>
        postWebhook(submitInfo(u, { name: `Racer ${i}`, phone: '0905 111 222' })),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    await eventually(
      () =>
        stack.query(
          token,
          '{ followers(first: 100, filter: { linked: true }) { edges { node { zaloUserId } } } }',
        ),
      (r) =>
        (r.body.data!.followers as any).edges.filter((e: any) =>
          e.node.zaloUserId.startsWith('z-race'),
        ).length === 12,
    );
    const owners = await stack
      .db('contacts')
      .query(
        `SELECT count(DISTINCT customer_id)::int AS n FROM customer_phone WHERE workspace_id = $1 AND e164 = '+84905111222'`,
        [ws],
      );
    expect(owners).toEqual([{ n: 1 }]);
    const linked = await stack
      .db('followers')
      .query(
        `SELECT count(DISTINCT customer_id)::int AS n FROM zalo_follower WHERE workspace_id = $1 AND zalo_user_id LIKE 'z-race-%'`,
        [ws],
      );
    expect(linked).toEqual([{ n: 1 }]);
  });
});

describe('connecting the OA', () => {
  it('is for admins only, and an OA belongs to one workspace', async () => {
    const editor = await stack.token({ ...admin, role: 'editor' });
    const CONNECT =
      'mutation($o: String!) { connectZaloOA(oaId: $o, appId: "a", secretKey: "12345678") { oaId } }';
    const refused = await stack.query(editor, CONNECT, { o: 'another-oa' });
    expect(refused.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const other = await stack.token({ ...admin, workspaceId: `${ws}-other` });
    const taken = await stack.query(other, CONNECT, { o: oaId });
    expect(taken.body.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'oaId' });
    const mine = await stack.query(token, '{ zaloOA { oaId appId } }');
    expect(mine.body.data).toEqual({ zaloOA: { oaId, appId } });
  });
});

describe('re-connecting the OA with a new secret', () => {
  it('takes effect at once, though webhooks remember the OA for a moment', async () => {
    const other = await stack.token({ ...admin, workspaceId: `${ws}-rekey` });
    const oa = { oaId: `${oaId}-rekey`, appId, secret: 'first-secret' };
    const connect = (secretKey: string) =>
      stack.query(
        other,
        'mutation($o: String!, $a: String!, $s: String!) { connectZaloOA(oaId: $o, appId: $a, secretKey: $s) { oaId } }',
        { o: oa.oaId, a: appId, s: secretKey },
      );
    expect((await connect(oa.secret)).body.errors).toBeUndefined();
    const follow = (userId: string) =>
      webhookBody({ event_name: 'follow', oa_id: oa.oaId, follower: { id: userId } });
    expect((await postWebhook(follow('z-rekey-1'), undefined, oa.secret)).status).toBe(200);
    expect((await connect('second-secret')).body.errors).toBeUndefined();
    expect((await postWebhook(follow('z-rekey-2'), undefined, 'second-secret')).status).toBe(200);
    expect((await postWebhook(follow('z-rekey-3'), undefined, oa.secret)).status).toBe(401);
  });
});

describe('bad webhooks', () => {
  const outboxSize = async () =>
    (await stack.db('followers').query('SELECT count(*)::int AS n FROM outbox'))[0].n as number;

  it.each([
    [
      'a wrong signature',
      () => postWebhook(submitInfo('z-bad', { phone: '0912345678' }), 'mac=00'),
      401,
    ],
    ['no signature', () => postWebhook(submitInfo('z-bad', { phone: '0912345678' }), null), 401],
    [
      'a signature made with another secret',
      () => postWebhook(submitInfo('z-bad', { phone: '0912345678' }), undefined, 'guess'),
      401,
    ],
    [
      'an unknown OA',
      () =>
        postWebhook(
          webhookBody({ event_name: 'follow', oa_id: 'nobody', follower: { id: 'z-bad' } }),
        ),
      401, // as a wrong signature: which OAs are connected is nobody's business
    ],
    ['malformed JSON', () => postWebhook('{"app_id":', 'mac=00'), 400],
    [
      'a missing sender',
      () =>
        postWebhook(
          webhookBody({
            event_name: 'user_submit_info',
            recipient: { id: oaId },
            info: { phone: '0912345678' },
          }),
        ),
      400,
    ],
    ['no phone', () => postWebhook(submitInfo('z-bad', { name: 'x' })), 400],
    ['an impossible phone', () => postWebhook(submitInfo('z-bad', { phone: '0912 34' })), 400],
  ])('answers %s with its 4xx and stores nothing', async (_label, send, status) => {
    const before = await outboxSize();
    const res = await send();
    expect(res.status).toBe(status);
    expect(typeof res.body.error).toBe('string');
    expect(await outboxSize()).toBe(before);
    const stored = await stack
      .db('followers')
      .query(`SELECT count(*)::int AS n FROM zalo_follower WHERE zalo_user_id = 'z-bad'`);
    expect(stored).toEqual([{ n: 0 }]);
  });

  it('answers a body over 1 MiB with 413', async () => {
    const huge = submitInfo('z-bad', { phone: '0912345678', address: 'x'.repeat(1_100_000) });
    const res = await fetch(stack.gateway.url.replace('/graphql', '/webhooks/zalo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-zevent-signature': 'mac=00' },
      body: huge,
    });
    expect(res.status).toBe(413);
  });

  it('never returns the OA secret', async () => {
    const { body } = await stack.query(token, '{ zaloOA { oaId appId connectedAt } }');
    expect(JSON.stringify(body)).not.toContain(secret);
    const asked = await stack.query(token, '{ zaloOA { secretKey } }');
    expect(asked.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('a webhook owner that is down', () => {
  it('answers 502 naming the service', async () => {
    await stack.subgraphs.followers.stop();
    const res = await postWebhook(submitInfo('z-late', { phone: '0912345678' }));
    expect(res).toEqual({ status: 502, body: { error: 'the followers service is unavailable' } });
  });
});
