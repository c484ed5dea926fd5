// One id finds a webhook's whole path (issue 17): a Zalo follower shares a phone, and the
// request id the gateway gave that webhook is in the gateway's log line for it, in
// followers' lines handling it, in the event followers published, in contacts' lines
// applying that event, and in the event contacts published because of it (and in
// followers' line applying that one in turn).
import { randomBytes } from 'node:crypto';
import { createLogger } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { startTestStack } from './stack';
import type { TestStack } from './stack';
import { eventually, signatureHeader, submitInfoBody } from './webhooks';

const ws = `trace-${randomBytes(3).toString('hex')}`;
const admin: Identity = { workspaceId: ws, userId: 'admin', role: 'admin' };
const oa = { oaId: `oa${randomBytes(4).toString('hex')}`, appId: 'app-77', secret: 'oa-secret-77' };
const lines: Record<string, string[]> = {};

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack(ws, {
    logger: (service) => createLogger('debug', (line) => (lines[service] ??= []).push(line)),
  });
  const connected = await stack.query(
    await stack.token(admin),
    'mutation($o: String!, $a: String!, $s: String!) { connectZaloOA(oaId: $o, appId: $a, secretKey: $s) { oaId } }',
    { o: oa.oaId, a: oa.appId, s: oa.secret },
  );
  if (connected.body.errors) throw new Error(JSON.stringify(connected.body.errors));
}, 60_000);

afterAll(() => stack?.stop());

it('follows one webhook by its request id through the gateway, followers, contacts and their events', async () => {
  const requestId = `zalo-${randomBytes(8).toString('hex')}`;
  const body = submitInfoBody(oa, 'z-trace', { name: 'Lan', phone: '0912 345 678' });
  const res = await fetch(stack.gateway.url.replace('/graphql', '/webhooks/zalo'), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-request-id': requestId,
      ...signatureHeader(oa, body),
    },
    body,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('x-request-id')).toBe(requestId);

  const outbox = async (name: string, topic: string) =>
    (
      await stack
        .db(name)
        .query(`SELECT value FROM outbox WHERE workspace_id = $1 AND topic = $2`, [ws, topic])
    ).map((r: { value: { requestId?: string } }) => r.value.requestId);
  // The event followers published, and the one contacts published on applying it.
  expect(
    await eventually(
      () => outbox('followers', 'followers.follower.phone-shared'),
      (ids) => ids.length === 1,
      30_000,
    ),
  ).toEqual([requestId]);
  expect(
    await eventually(
      () => outbox('contacts', 'contacts.customer.zalo-linked'),
      (ids) => ids.length === 1,
      30_000,
    ),
  ).toEqual([requestId]);
  // Followers applies contacts' event in turn, still as part of the webhook's request.
  const named = (service: string) =>
    (lines[service] ?? []).filter((l) => l.includes(`requestId=${requestId}`));
  await eventually(
    async () => named('followers').filter((l) => l.includes('event applied')).length,
    (n) => n > 0,
    30_000,
  );
  expect(
    named('gateway').some((l) => /request method=POST path=\/webhooks\/zalo status=200/.test(l)),
  ).toBe(true);
  expect(named('followers').some((l) => l.includes('zalo webhook'))).toBe(true);
  expect(
    named('contacts').some(
      (l) => l.includes('event applied') && l.includes('type=followers.follower.phone-shared'),
    ),
  ).toBe(true);
  expect(
    named('followers').some(
      (l) => l.includes('event applied') && l.includes('type=contacts.customer.zalo-linked'),
    ),
  ).toBe(true);
}, 90_000);
