// The OA's secret key is sealed at rest; a key stored in clear by an older version is
// sealed at the next start, and webhooks verify against either.
import { randomBytes } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { createTestDatabase, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { followersSubgraph, zaloSignature } from '../src';

const admin: Identity = { workspaceId: 'oa-secret-ws', userId: 'admin', role: 'admin' };
const dataEncryptionKey = randomBytes(32);
let databaseUrl: string;
let subgraph: TestSubgraph;

async function follow(oaId: string, secret: string, userId: string): Promise<number> {
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
  return res.status;
}

const stored = async (oaId: string) =>
  (await subgraph.db.query('SELECT secret_key FROM zalo_oa WHERE oa_id = $1', [oaId]))[0]
    .secret_key as string;

beforeAll(async () => {
  databaseUrl = await createTestDatabase('followers-secret');
  subgraph = await startTestSubgraph(followersSubgraph, { databaseUrl, dataEncryptionKey });
});
afterAll(() => subgraph?.stop());

it('keeps a connected OA’s secret sealed, and verifies webhooks with it', async () => {
  const connected = await subgraph.query(
    admin,
    'mutation { connectZaloOA(oaId: "oa-sealed", appId: "app-1", secretKey: "plain-secret-1") { oaId } }',
  );
  expect(connected.errors).toBeUndefined();
  const sealed = await stored('oa-sealed');
  expect(sealed.startsWith('v1.')).toBe(true);
  expect(sealed).not.toContain('plain-secret-1');
  expect(await follow('oa-sealed', 'plain-secret-1', 'z-1')).toBe(200);
  expect(await follow('oa-sealed', 'wrong-secret', 'z-2')).toBe(401);
});

it('seals a secret kept in clear at the next start', async () => {
  await subgraph.db.query(`INSERT INTO workspace (id) VALUES ('legacy-ws') ON CONFLICT DO NOTHING`);
  await subgraph.db.query(
    `INSERT INTO zalo_oa (workspace_id, oa_id, app_id, secret_key, connected_at)
     VALUES ('legacy-ws', 'oa-legacy', 'app-1', 'legacy-secret-1', now())`,
  );
  expect(await follow('oa-legacy', 'legacy-secret-1', 'z-3')).toBe(200);
  await subgraph.stop();
  subgraph = await startTestSubgraph(followersSubgraph, { databaseUrl, dataEncryptionKey });
  // Sealing runs beside the start; wait for it.
  const deadline = Date.now() + 10_000;
  let sealed = await stored('oa-legacy');
  while (!sealed.startsWith('v1.') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    sealed = await stored('oa-legacy');
  }
  expect(sealed.startsWith('v1.')).toBe(true);
  expect(sealed).not.toContain('legacy-secret-1');
  expect(await follow('oa-legacy', 'legacy-secret-1', 'z-4')).toBe(200);
});
