// The followers service's webhook on its own, on real Postgres: forged traffic for
// OAs nobody claims stays off the database, a new claim is not blocked by that, and
// deliveries past the replay window are forgotten.
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { EVENT_FRESHNESS_MS, followersSubgraph, zaloSignature } from '../src';
import { ZaloOAEntity } from '../src/oa/oa.entity';
import { pruneSeenDeliveries } from '../src/followers/follower.ingest';
import { isFresh } from '../src/webhook/zalo-event';

const admin: Identity = { workspaceId: 'webhook-ws', userId: 'admin', role: 'admin' };
let subgraph: TestSubgraph;

async function follow(oaId: string, secret: string, userId: string) {
  const body = JSON.stringify({
    app_id: 'app-1',
    event_name: 'follow',
    timestamp: String(Date.now()),
    oa_id: oaId,
    follower: { id: userId },
  });
  const res = await fetch(subgraph.url.replace('/graphql', '/webhooks/zalo'), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-zevent-signature': zaloSignature(
        'app-1',
        Buffer.from(body),
        JSON.parse(body).timestamp,
        secret,
      ),
    },
    body,
  });
  return { status: res.status, body: await res.text() };
}

beforeAll(async () => {
  subgraph = await startTestSubgraph(followersSubgraph);
});
afterAll(() => subgraph?.stop());

it('reads the claims on an unknown OA once for a burst of forged events, and forgets that on connect', async () => {
  const reads = jest.spyOn(subgraph.db.getRepository(ZaloOAEntity), 'findBy');
  const forged = await Promise.all(
    Array.from({ length: 20 }, (_, i) => follow('oa-unclaimed', 'made-up-secret', `z-${i}`)),
  );
  expect(new Set(forged.map((r) => `${r.status} ${r.body}`))).toEqual(
    new Set(['401 {"error":"signature does not match"}']),
  );
  expect(reads).toHaveBeenCalledTimes(1);
  reads.mockRestore();

  const connected = await subgraph.query(
    admin,
    'mutation { connectZaloOA(oaId: "oa-unclaimed", appId: "app-1", secretKey: "real-secret") { status } }',
  );
  expect(connected.data).toEqual({ connectZaloOA: { status: 'PENDING' } });
  expect(await follow('oa-unclaimed', 'real-secret', 'z-real')).toEqual({
    status: 200,
    body: '{"ok":true,"applied":true}',
  });
  const oa = await subgraph.query(admin, '{ zaloOA { status connectedAt } }');
  expect(oa.data).toEqual({ zaloOA: { status: 'CONNECTED', connectedAt: expect.any(String) } });
});

it('forgets deliveries too old to be accepted again, and keeps the others', async () => {
  await subgraph.db.query(
    `INSERT INTO zalo_webhook_seen (oa_id, body_sha256, received_at) VALUES
       ('oa-prune', '\\x01', now() - interval '1 hour'),
       ('oa-prune', '\\x02', now() - $1 * interval '1 millisecond')`,
    [EVENT_FRESHNESS_MS],
  );
  await pruneSeenDeliveries(subgraph.db);
  const left = await subgraph.db.query(
    `SELECT encode(body_sha256, 'hex') AS hash FROM zalo_webhook_seen WHERE oa_id = 'oa-prune'`,
  );
  expect(left).toEqual([{ hash: '02' }]);
});

it('accepts a timestamp within EVENT_FRESHNESS_MS either way, and no other', () => {
  const now = Date.UTC(2026, 0, 1);
  expect(isFresh(new Date(now - EVENT_FRESHNESS_MS), now)).toBe(true);
  expect(isFresh(new Date(now + EVENT_FRESHNESS_MS), now)).toBe(true);
  expect(isFresh(new Date(now - EVENT_FRESHNESS_MS - 1), now)).toBe(false);
  expect(isFresh(new Date(now + EVENT_FRESHNESS_MS + 1), now)).toBe(false);
  expect(isFresh(new Date(Number.NaN), now)).toBe(false);
});
