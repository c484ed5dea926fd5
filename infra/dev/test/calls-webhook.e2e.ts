// A phone system's call events through the gateway (issue 12), with real servers:
// events in every order make the same call, on the customer with the number (a LEAD
// for an unknown one); a replayed delivery is applied once; a stale, badly signed or
// malformed event, one for an unknown or disconnected connection, stores nothing; a
// connection reaches only its own workspace; connecting is for admins, and the secret
// is never in any answer.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { EVENT_FRESHNESS_MS, callEventSignature } from '@customer-graph/contacts';
import { startTestStack } from './stack';
import type { TestStack } from './stack';

const suffix = randomBytes(3).toString('hex');
const wsA = `calls-a-${suffix}`;
const wsB = `calls-b-${suffix}`;
const as = (workspaceId: string, role: Identity['role']): Identity => ({
  workspaceId,
  userId: role,
  role,
});
const CONNECT = `mutation($provider: String!, $secret: String!) {
  connectCallProvider(provider: $provider, secret: $secret) {
    connectionId provider connectedAt secretSetAt } }`;
const NOT_SIGNED = { status: 401, body: '{"error":"signature does not match"}' };
const CALL = `providerCallId hotline customerNumber customerNumberE164 direction result
  startedAt answeredAt endedAt ringDuration talkDuration staff note recordingUrl
  customer { id name type }`;

interface Connection {
  id: string;
  secret: string;
}

let stack: TestStack;
let url: string;
const a: Connection = { id: '', secret: `calls-secret-${randomBytes(16).toString('hex')}` };
/** Every answer the stack gave in this file, to look for a secret in. */
const answers: string[] = [];

async function gql(who: Identity, query: string, variables?: object) {
  const { body } = await stack.query(await stack.token(who), query, variables);
  answers.push(JSON.stringify(body));
  return body;
}

async function connect(workspaceId: string, secret: string): Promise<string> {
  const body = await gql(as(workspaceId, 'admin'), CONNECT, { provider: 'Stringee', secret });
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return (body.data!.connectCallProvider as { connectionId: string }).connectionId;
}

const T0 = Math.floor(Date.now() / 1000) - 120;

/** One event of a call, as the phone system sends it, sent now. */
function eventBody(
  connection: Connection,
  callId: string,
  event: 'started' | 'answered' | 'ended',
  fields: Record<string, unknown> = {},
  sentAt = Date.now(),
): string {
  const at = { started: T0, answered: T0 + 12, ended: T0 + 107 }[event];
  return JSON.stringify({
    connection_id: connection.id,
    timestamp: Math.floor(sentAt / 1000),
    event,
    call_id: callId,
    at,
    direction: 'INBOUND',
    hotline: '1900 6868',
    customer_number: '0912 300 001',
    ...(event === 'answered' && { staff: 'lan' }),
    ...(event === 'ended' && {
      result: 'ANSWERED',
      recording_url: `https://pbx.example.vn/rec/${callId}.mp3`,
    }),
    ...fields,
  });
}

async function post(body: string, signature: string | null) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature !== null && { 'x-signature': signature }),
    },
    body,
  });
  const answer = { status: res.status, body: await res.text() };
  answers.push(answer.body);
  return answer;
}

const sign = (connection: Connection, body: string) =>
  callEventSignature(Buffer.from(body), connection.secret);
const postSigned = (connection: Connection, body: string) => post(body, sign(connection, body));

async function callOf(workspaceId: string, callId: string) {
  const body = await gql(
    as(workspaceId, 'admin'),
    `query($p: String!) { calls(filter: { phone: $p }, first: 100) { edges { node { ${CALL} } } } }`,
    { p: '0912300001' },
  );
  expect(body.errors).toBeUndefined();
  const edges = (body.data!.calls as { edges: { node: Record<string, any> }[] }).edges;
  return edges.find((e) => e.node.providerCallId === callId)?.node;
}

/** Rows of the call and of its events, straight from contacts' tables. */
async function stored(callId: string) {
  const [row] = await stack.db('contacts').query(
    `SELECT (SELECT count(*)::int FROM customer_call WHERE provider_call_id = $1) AS calls,
            (SELECT count(*)::int FROM customer_call_event WHERE provider_call_id = $1) AS events`,
    [callId],
  );
  return row as { calls: number; events: number };
}

beforeAll(async () => {
  stack = await startTestStack();
  url = stack.gateway.url.replace('/graphql', '/webhooks/calls');
  a.id = await connect(wsA, a.secret);
}, 60_000);
afterAll(() => stack?.stop());

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('signed events', () => {
  it('make the same call in every order, on one LEAD for the unknown number', async () => {
    const orders = permutations(['started', 'answered', 'ended'] as const);
    const calls = [];
    for (const [n, order] of orders.entries()) {
      const callId = `order-${n}-${suffix}`;
      for (const event of order) {
        const res = await postSigned(a, eventBody(a, callId, event));
        expect(res).toEqual({ status: 200, body: '{"ok":true,"applied":true}' });
      }
      const { providerCallId, recordingUrl, ...call } = (await callOf(wsA, callId))!;
      expect(providerCallId).toBe(callId);
      expect(recordingUrl).toBe(`https://pbx.example.vn/rec/${callId}.mp3`);
      calls.push(call);
    }
    for (const call of calls) expect(call).toEqual(calls[0]);
    expect(calls[0]).toEqual({
      hotline: '1900 6868',
      customerNumber: '0912 300 001',
      customerNumberE164: '+84912300001',
      direction: 'INBOUND',
      result: 'ANSWERED',
      startedAt: new Date(T0 * 1000).toISOString(),
      answeredAt: new Date((T0 + 12) * 1000).toISOString(),
      endedAt: new Date((T0 + 107) * 1000).toISOString(),
      ringDuration: 12,
      talkDuration: 95,
      staff: 'lan',
      note: null,
      customer: { id: expect.any(String), name: null, type: 'LEAD' },
    });
  });

  it('arriving together make the same call too, and one customer for a new number', async () => {
    const number = { customer_number: '0912 300 002' };
    const callIds = [`together-1-${suffix}`, `together-2-${suffix}`];
    const answers = await Promise.all(
      callIds.flatMap((callId) =>
        (['ended', 'answered', 'started'] as const).map((event) =>
          postSigned(a, eventBody(a, callId, event, number)),
        ),
      ),
    );
    expect(answers.every((r) => r.body === '{"ok":true,"applied":true}')).toBe(true);
    const body = await gql(
      as(wsA, 'admin'),
      `{ calls(filter: { phone: "+84912300002" }) { edges { node {
         result ringDuration talkDuration staff customer { id } } } } }`,
    );
    const nodes = (
      body.data!.calls as { edges: { node: { customer: { id: string } } }[] }
    ).edges.map((e) => e.node);
    expect(nodes).toEqual([
      {
        result: 'ANSWERED',
        ringDuration: 12,
        talkDuration: 95,
        staff: 'lan',
        customer: nodes[0].customer,
      },
      {
        result: 'ANSWERED',
        ringDuration: 12,
        talkDuration: 95,
        staff: 'lan',
        customer: nodes[0].customer,
      },
    ]);
    const [{ n }] = await stack
      .db('contacts')
      .query(
        `SELECT count(*)::int AS n FROM customer_phone WHERE workspace_id = $1 AND e164 = $2`,
        [wsA, '+84912300002'],
      );
    expect(n).toBe(1);
  });

  it('show a call in progress as far as its events go', async () => {
    const callId = `progress-${suffix}`;
    await postSigned(a, eventBody(a, callId, 'started', { customer_number: '+84912300001' }));
    expect(await callOf(wsA, callId)).toMatchObject({
      result: null,
      endedAt: null,
      ringDuration: null,
      talkDuration: null,
    });
    await postSigned(a, eventBody(a, callId, 'ended', { result: 'MISSED' }));
    expect(await callOf(wsA, callId)).toMatchObject({
      result: 'MISSED',
      answeredAt: null,
      ringDuration: 107,
      talkDuration: 0,
    });
  });

  it('leave a call recorded whole by recordCalls as it is', async () => {
    const callId = `recorded-${suffix}`;
    const recorded = await gql(
      as(wsA, 'editor'),
      `mutation($c: [CallInput!]!) { recordCalls(calls: $c) { created rejected { field } } }`,
      {
        c: [
          {
            providerCallId: callId,
            hotline: '1900 6868',
            customerNumber: '0912300001',
            direction: 'OUTBOUND',
            result: 'BUSY',
            startedAt: new Date(T0 * 1000).toISOString(),
            ringDuration: 3,
            talkDuration: 0,
            note: 'gọi lại sau',
          },
        ],
      },
    );
    expect(recorded.data).toEqual({ recordCalls: { created: 1, rejected: [] } });
    const before = await callOf(wsA, callId);
    expect(await postSigned(a, eventBody(a, callId, 'ended'))).toEqual({
      status: 200,
      body: '{"ok":true,"applied":false,"recorded":true}',
    });
    expect(await callOf(wsA, callId)).toEqual(before);
  });
});

describe('refused or deduplicated, nothing stored', () => {
  it('a replayed delivery is answered 200 and applied once, even when copies race', async () => {
    const callId = `dup-${suffix}`;
    const body = eventBody(a, callId, 'started');
    expect(await postSigned(a, body)).toEqual({ status: 200, body: '{"ok":true,"applied":true}' });
    const before = await callOf(wsA, callId);
    const again = await Promise.all(Array.from({ length: 5 }, () => postSigned(a, body)));
    expect(again).toEqual(
      Array.from({ length: 5 }, () => ({
        status: 200,
        body: '{"ok":true,"applied":false,"duplicate":true}',
      })),
    );
    expect(await stored(callId)).toEqual({ calls: 1, events: 1 });
    expect(await callOf(wsA, callId)).toEqual(before);
    const racing = eventBody(a, `${callId}-race`, 'ended');
    const raced = await Promise.all(Array.from({ length: 8 }, () => postSigned(a, racing)));
    expect(raced.every((r) => r.status === 200)).toBe(true);
    expect(raced.filter((r) => JSON.parse(r.body).applied)).toHaveLength(1);
    expect(await stored(`${callId}-race`)).toEqual({ calls: 1, events: 1 });
  });

  it('a wrong or missing signature and an unknown connection get the same 401', async () => {
    const callId = `forged-${suffix}`;
    const body = eventBody(a, callId, 'started');
    const stranger = { id: randomUUID(), secret: 'a-secret-nobody-connected' };
    const refused = await Promise.all([
      post(body, callEventSignature(Buffer.from(body), 'guessed-secret-0000')),
      post(body, sign(a, body).slice(2)),
      post(body, null),
      // Signed over another body.
      post(body, sign(a, eventBody(a, callId, 'ended'))),
      postSigned(stranger, eventBody(stranger, callId, 'started')),
      postSigned(stranger, eventBody({ ...stranger, id: 'not-a-uuid' }, callId, 'started')),
    ]);
    expect(refused).toEqual(refused.map(() => NOT_SIGNED));
    expect(await stored(callId)).toEqual({ calls: 0, events: 0 });
  });

  it.each([
    ['sent 10 minutes ago', -2 * EVENT_FRESHNESS_MS],
    ['dated past the window', -EVENT_FRESHNESS_MS - 60_000],
    ['dated in the future', EVENT_FRESHNESS_MS + 60_000],
  ])('a correctly signed event %s: 401', async (_label, offset) => {
    const callId = `stale-${offset}-${suffix}`;
    const res = await postSigned(a, eventBody(a, callId, 'started', {}, Date.now() + offset));
    expect(res).toEqual({
      status: 401,
      body: '{"error":"event timestamp is outside the accepted window"}',
    });
    expect(await stored(callId)).toEqual({ calls: 0, events: 0 });
  });

  it('a signed event with a bad field: 400 naming it', async () => {
    const callId = `bad-${suffix}`;
    const res = await postSigned(a, eventBody(a, callId, 'ended', { result: 'HUNG_UP' }));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      error: expect.stringContaining('must be one of ANSWERED'),
      field: 'result',
    });
    expect(await post('not json', sign(a, 'not json'))).toEqual({
      status: 400,
      body: '{"error":"body is not JSON"}',
    });
    expect(await stored(callId)).toEqual({ calls: 0, events: 0 });
  });
});

describe('workspaces and connections', () => {
  it('an event reaches only its connection’s workspace', async () => {
    const b: Connection = { id: '', secret: `calls-secret-b-${randomBytes(8).toString('hex')}` };
    b.id = await connect(wsB, b.secret);
    expect(b.id).not.toBe(a.id);
    const callId = `shared-${suffix}`;
    expect((await postSigned(a, eventBody(a, callId, 'ended', { result: 'MISSED' }))).status).toBe(
      200,
    );
    expect((await postSigned(b, eventBody(b, callId, 'ended'))).status).toBe(200);
    expect(await callOf(wsA, callId)).toMatchObject({ result: 'MISSED' });
    expect(await callOf(wsB, callId)).toMatchObject({ result: 'ANSWERED' });
    // B's connection named, A's secret used: refused.
    const forged = eventBody(b, `${callId}-x`, 'started');
    expect(await post(forged, sign(a, forged))).toEqual(NOT_SIGNED);
    // Each workspace's call is on its own customer.
    const [customerA, customerB] = await Promise.all(
      [wsA, wsB].map(async (ws) => (await callOf(ws, callId))!.customer),
    );
    expect(customerA!.id).not.toBe(customerB!.id);
  });

  it('reconnecting keeps the id and replaces the secret; disconnecting refuses events', async () => {
    const ws = `calls-c-${suffix}`;
    const first: Connection = { id: '', secret: 'first-secret-0123456789' };
    first.id = await connect(ws, first.secret);
    const second: Connection = {
      id: await connect(ws, 'second-secret-0123456789'),
      secret: 'second-secret-0123456789',
    };
    expect(second.id).toBe(first.id);
    const callId = `rekeyed-${suffix}`;
    expect(await postSigned(first, eventBody(first, callId, 'started'))).toEqual(NOT_SIGNED);
    expect((await postSigned(second, eventBody(second, callId, 'started'))).status).toBe(200);
    const off = await gql(as(ws, 'admin'), 'mutation { disconnectCallProvider }');
    expect(off.data).toEqual({ disconnectCallProvider: true });
    expect(await postSigned(second, eventBody(second, callId, 'answered'))).toEqual(NOT_SIGNED);
    expect(await stored(callId)).toEqual({ calls: 1, events: 1 });
  });

  it.each(['editor', 'staff', 'analyst'] as const)('connecting is refused to %s', async (role) => {
    const ws = `calls-d-${role}-${suffix}`;
    const body = await gql(as(ws, role), CONNECT, {
      provider: 'X',
      secret: 'some-secret-0123456789',
    });
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const off = await gql(as(wsA, role), 'mutation { disconnectCallProvider }');
    expect(off.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const [{ n }] = await stack
      .db('contacts')
      .query('SELECT count(*)::int AS n FROM call_provider WHERE workspace_id = $1', [ws]);
    expect(n).toBe(0);
  });

  it('a short secret is BAD_USER_INPUT on secret', async () => {
    const body = await gql(as(wsA, 'admin'), CONNECT, { provider: 'X', secret: 'short' });
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'secret' });
  });

  it('shows every role the connection, never its secret', async () => {
    const read = await gql(as(wsA, 'staff'), '{ callProvider { connectionId provider } }');
    expect(read.data).toEqual({ callProvider: { connectionId: a.id, provider: 'Stringee' } });
    expect(answers.length).toBeGreaterThan(30);
    for (const answer of answers) expect(answer).not.toContain(a.secret);
    const [{ secret }] = await stack
      .db('contacts')
      .query('SELECT secret FROM call_provider WHERE id = $1', [a.id]);
    expect(secret).toMatch(/^v1\./);
    expect(secret).not.toContain(a.secret);
  });
});
