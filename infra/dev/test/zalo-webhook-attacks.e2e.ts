// Attacks on the Zalo webhook, each through the gateway with real servers: replays
// (of a delivery, of an old follow after an unfollow, of a body dated 2010), probing
// which OAs are connected, claiming someone else's OA first, and request-control
// headers on a correctly signed event.
import { randomBytes } from 'node:crypto';
import { EVENT_FRESHNESS_MS } from '@customer-graph/followers';
import { startTestStack } from './stack';
import type { TestStack } from './stack';
import { followBody, postRaw, postSigned, signatureHeader, submitInfoBody } from './webhooks';
import type { ZaloOA } from './webhooks';

const suffix = randomBytes(3).toString('hex');
const ws = `attack-${suffix}`;
let stack: TestStack;
let url: string;
let oa: ZaloOA;

const CONNECT = `mutation($o: String!, $a: String!, $s: String!) {
  connectZaloOA(oaId: $o, appId: $a, secretKey: $s) { oaId status connectedAt } }`;

async function claim(workspaceId: string, o: ZaloOA) {
  const token = await stack.token({ workspaceId, userId: 'admin', role: 'admin' });
  return stack.query(token, CONNECT, { o: o.oaId, a: o.appId, s: o.secret });
}

async function zaloOA(workspaceId: string) {
  const token = await stack.token({ workspaceId, userId: 'admin', role: 'admin' });
  return (await stack.query(token, '{ zaloOA { oaId status connectedAt } }')).body.data!.zaloOA;
}

const newOA = (): ZaloOA => ({
  oaId: `oa-${randomBytes(4).toString('hex')}`,
  appId: 'app-attack',
  secret: 'real-secret-1',
});

async function follower(workspaceId: string, userId: string) {
  const rows = await stack
    .db('followers')
    .query(
      'SELECT status, followed_at FROM zalo_follower WHERE workspace_id = $1 AND zalo_user_id = $2',
      [workspaceId, userId],
    );
  return rows[0] as { status: string; followed_at: Date } | undefined;
}

const outboxFor = async (userId: string) =>
  (
    await stack
      .db('followers')
      .query(`SELECT count(*)::int AS n FROM outbox WHERE value->'payload'->>'zaloUserId' = $1`, [
        userId,
      ])
  )[0].n as number;

beforeAll(async () => {
  stack = await startTestStack();
  url = stack.gateway.url.replace('/graphql', '/webhooks/zalo');
  oa = newOA();
  const claimed = await claim(ws, oa);
  if (claimed.body.errors) throw new Error(JSON.stringify(claimed.body.errors));
  // The first event signed with the secret connects the OA.
  const first = await postSigned(url, oa, followBody(oa, 'z-first'));
  if (first.status !== 200) throw new Error(`first event: ${first.status} ${first.body}`);
}, 60_000);
afterAll(() => stack?.stop());

describe('replays', () => {
  it('a follow replayed after an unfollow is answered but changes nothing', async () => {
    const at = Date.now();
    const follow = followBody(oa, 'z-replay', 'follow', at - 2000);
    expect((await postSigned(url, oa, follow)).status).toBe(200);
    expect((await postSigned(url, oa, followBody(oa, 'z-replay', 'unfollow', at))).status).toBe(
      200,
    );
    const replayed = await postSigned(url, oa, follow);
    expect(replayed.status).toBe(200);
    expect(JSON.parse(replayed.body)).toEqual({ ok: true, applied: false, duplicate: true });
    expect((await follower(ws, 'z-replay'))?.status).toBe('UNFOLLOWED');
  });

  it('a follow dated before the last unfollow (arriving late) does not flip it back', async () => {
    const at = Date.now();
    expect((await postSigned(url, oa, followBody(oa, 'z-late', 'unfollow', at))).status).toBe(200);
    const late = await postSigned(url, oa, followBody(oa, 'z-late', 'follow', at - 60_000));
    expect(late.status).toBe(200);
    expect(JSON.parse(late.body)).toEqual({ ok: true, applied: false });
    expect((await follower(ws, 'z-late'))?.status).toBe('UNFOLLOWED');
    // A later follow does.
    expect((await postSigned(url, oa, followBody(oa, 'z-late', 'follow', at + 1))).status).toBe(
      200,
    );
    expect((await follower(ws, 'z-late'))?.status).toBe('FOLLOWING');
  });

  it.each([
    ['dated 2010', Date.UTC(2010, 0, 1)],
    ['dated past the window', Date.now() - EVENT_FRESHNESS_MS - 60_000],
    ['dated in the future', Date.now() + EVENT_FRESHNESS_MS + 60_000],
  ])('a correctly signed event %s is refused and stores nothing', async (_label, at) => {
    const userId = `z-stale-${at}`;
    const res = await postSigned(url, oa, followBody(oa, userId, 'follow', at));
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({
      error: 'event timestamp is outside the accepted window',
    });
    expect(await follower(ws, userId)).toBeUndefined();
  });

  it('a delivery seen before is answered 200 and applied once, even when copies race', async () => {
    const body = submitInfoBody(oa, 'z-dup', { name: 'Dup', phone: '0912 000 111' });
    const first = await postSigned(url, oa, body);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ ok: true, applied: true });
    const again = await Promise.all(Array.from({ length: 5 }, () => postSigned(url, oa, body)));
    expect(again.map((r) => [r.status, JSON.parse(r.body)])).toEqual(
      Array.from({ length: 5 }, () => [200, { ok: true, applied: false, duplicate: true }]),
    );
    expect(await outboxFor('z-dup')).toBe(1);

    const racing = submitInfoBody(oa, 'z-dup-race', { phone: '0912 000 222' });
    const raced = await Promise.all(Array.from({ length: 8 }, () => postSigned(url, oa, racing)));
    expect(raced.every((r) => r.status === 200)).toBe(true);
    expect(raced.filter((r) => JSON.parse(r.body).applied)).toHaveLength(1);
    expect(await outboxFor('z-dup-race')).toBe(1);
  });
});

describe('probing for connected OAs', () => {
  it('an unknown OA and a wrong signature get the same answer', async () => {
    const unknown = { ...newOA(), oaId: `nobody-${suffix}` };
    const otherApp = { ...oa, appId: 'other-app' };
    const answers = await Promise.all([
      postSigned(url, unknown, followBody(unknown, 'z-probe')),
      postSigned(url, { ...oa, secret: 'guessed-secret' }, followBody(oa, 'z-probe')),
      postSigned(url, unknown, followBody(unknown, 'z-probe', 'follow', Date.UTC(2010, 0, 1))),
      postSigned(url, otherApp, followBody(otherApp, 'z-probe')),
    ]);
    for (const answer of answers) {
      expect(answer).toEqual({ status: 401, body: '{"error":"signature does not match"}' });
    }
    expect(await follower(ws, 'z-probe')).toBeUndefined();
  });
});

describe('claiming an OA', () => {
  it('a claim stays pending until a signed event; the claim it is signed for wins', async () => {
    const real = newOA();
    const squatter = { ...real, secret: 'squatter-secret' };
    const x = `squat-x-${suffix}`;
    const y = `owner-y-${suffix}`;
    // X claims the real OA id first, with a secret of its own; the owner is not blocked.
    expect((await claim(x, squatter)).body).toEqual({
      data: { connectZaloOA: { oaId: real.oaId, status: 'PENDING', connectedAt: null } },
    });
    expect((await claim(y, real)).body).toEqual({
      data: { connectZaloOA: { oaId: real.oaId, status: 'PENDING', connectedAt: null } },
    });
    // Zalo's first event, signed with the real secret, connects Y and is applied there.
    const first = await postSigned(url, real, followBody(real, 'z-owner'));
    expect(first).toEqual({ status: 200, body: '{"ok":true,"applied":true}' });
    expect(await zaloOA(y)).toEqual({
      oaId: real.oaId,
      status: 'CONNECTED',
      connectedAt: expect.any(String),
    });
    expect((await follower(y, 'z-owner'))?.status).toBe('FOLLOWING');
    expect(await follower(x, 'z-owner')).toBeUndefined();
    // X's claim is lost: it cannot take the OA now, nor can its secret sign for it.
    expect(await zaloOA(x)).toBeNull();
    const again = await claim(x, squatter);
    expect(again.body.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'oaId' });
    expect((await postSigned(url, squatter, followBody(real, 'z-squat'))).status).toBe(401);
    // Y re-keying its own OA keeps it connected.
    expect((await claim(y, { ...real, secret: 'real-secret-2' })).body.data).toEqual({
      connectZaloOA: { oaId: real.oaId, status: 'CONNECTED', connectedAt: expect.any(String) },
    });
  });

  it('an event signed with no claim’s secret connects nothing', async () => {
    const o = newOA();
    const w = `pending-${suffix}`;
    await claim(w, o);
    const forged = await postSigned(url, { ...o, secret: 'not-it' }, followBody(o, 'z-forged'));
    expect(forged.status).toBe(401);
    expect(await zaloOA(w)).toEqual({ oaId: o.oaId, status: 'PENDING', connectedAt: null });
  });
});

describe('request-control headers on a correctly signed event', () => {
  const send = (userId: string, headers: Record<string, string>) => {
    const body = followBody(oa, userId);
    return postRaw(
      url,
      { 'content-type': 'application/json', ...signatureHeader(oa, body), ...headers },
      body,
    );
  };

  it.each([
    ['Expect: 100-continue', 'z-expect', { expect: '100-continue' }],
    ['Upgrade: websocket', 'z-upgrade', { connection: 'upgrade', upgrade: 'websocket' }],
    [
      'TE, Proxy-*, Cookie, Authorization, x-cg-* and a header Connection names',
      'z-control',
      {
        te: 'trailers',
        'proxy-authorization': 'Basic eDp5',
        cookie: 'session=1',
        authorization: 'Bearer forged',
        'x-cg-workspace-id': 'someone-else',
        connection: 'keep-alive, x-hop',
        'x-hop': '1',
      },
    ],
  ])('%s: answered 200 and applied', async (_label, userId, headers) => {
    const res = await send(userId, headers);
    expect(res).toEqual({ status: 200, body: '{"ok":true,"applied":true}' });
    expect((await follower(ws, userId))?.status).toBe('FOLLOWING');
  });
});
