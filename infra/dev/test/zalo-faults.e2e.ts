// Fault tests of the event backbone on the Zalo flow: volume with duplicates and
// races, a poison event, a broker outage — real Postgres, real broker, kafkajs.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBroker } from '@customer-graph/kafka-lite';
import type { Broker } from '@customer-graph/kafka-lite';
import {
  FOLLOWER_PHONE_SHARED,
  createIdempotentProducer,
  createKafka,
  createLogger,
} from '@customer-graph/runtime';
import { testKafkaBrokers } from '@customer-graph/runtime/testing';
import { freePort } from '../src/ports';
import { startTestStack } from './stack';
import type { TestStack } from './stack';
import { eventually, pool, postSigned, submitInfoBody } from './webhooks';
import type { ZaloOA } from './webhooks';

async function connect(stack: TestStack, workspaceId: string): Promise<ZaloOA> {
  const oa = { oaId: `oa-${randomBytes(4).toString('hex')}`, appId: 'app-1', secret: 'secret-123' };
  const token = await stack.token({ workspaceId, userId: 'admin', role: 'admin' });
  const res = await stack.query(
    token,
    'mutation($o: String!, $a: String!, $s: String!) { connectZaloOA(oaId: $o, appId: $a, secretKey: $s) { oaId } }',
    { o: oa.oaId, a: oa.appId, s: oa.secret },
  );
  if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  return oa;
}

const webhookUrl = (stack: TestStack) => stack.gateway.url.replace('/graphql', '/webhooks/zalo');
const phoneOf = (i: number) => `09${String(100_000_000 + i).slice(1)}`; // 0900000000 + i

async function count(stack: TestStack, db: string, sql: string, params: unknown[]) {
  return (await stack.db(db).query(sql, params))[0].n as number;
}

async function contactsLag(stack: TestStack): Promise<number> {
  const res = await fetch(stack.subgraphs.contacts.url.replace('/graphql', '/metrics'), {
    headers: { accept: 'application/json' },
  });
  const { events } = (await res.json()) as { events: { consumerLag: { lag: number }[] } };
  return events.consumerLag.reduce((n, p) => n + p.lag, 0);
}

describe('under load, with duplicates and races', () => {
  let stack: TestStack;
  const ws = `load-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    stack = await startTestStack();
  }, 60_000);
  afterAll(() => stack?.stop());

  it('5,000 phone-shared events make exactly one customer per phone and link every follower', async () => {
    const oa = await connect(stack, ws);
    const PHONES = 1500;
    const USERS = 2500;
    // 5,000 webhooks: every user shares a phone twice (many users share one phone),
    // sent 32 at a time, so events for one phone race each other.
    const bodies = Array.from({ length: 5000 }, (_, i) => {
      const user = i % USERS;
      return submitInfoBody(oa, `u${user}`, {
        name: `Người ${user}`,
        phone: phoneOf(user % PHONES),
      });
    });
    const url = webhookUrl(stack);
    const statuses = await pool(
      bodies.map((b) => async () => (await postSigned(url, oa, b)).status),
      32,
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    // And Kafka-level duplicates: 500 of those events delivered a second time.
    const sent = await stack
      .db('followers')
      // The phone-shared events (connecting the OA wrote an audit event before them).
      .query(
        `SELECT value FROM outbox WHERE workspace_id = $1 AND value->>'type' = $2
          ORDER BY seq LIMIT 500`,
        [ws, FOLLOWER_PHONE_SHARED],
      );
    const kafka = createKafka(testKafkaBrokers(), 'dup', createLogger('error'));
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    await producer.send({
      topic: stack.topicPrefix + FOLLOWER_PHONE_SHARED,
      messages: sent.map((r: { value: { key: string } }) => ({
        key: r.value.key,
        value: JSON.stringify(r.value),
      })),
    });
    await producer.disconnect();

    await eventually(
      () =>
        count(
          stack,
          'followers',
          'SELECT count(*)::int AS n FROM zalo_follower WHERE workspace_id = $1 AND customer_id IS NULL',
          [ws],
        ),
      (n) => n === 0,
      120_000,
    );
    const shared = await count(
      stack,
      'followers',
      'SELECT count(*)::int AS n FROM zalo_follower WHERE workspace_id = $1',
      [ws],
    );
    expect(shared).toBe(USERS);
    const perPhone = await stack.db('contacts').query(
      `SELECT e164, count(DISTINCT customer_id)::int AS customers FROM customer_phone
        WHERE workspace_id = $1 GROUP BY e164`,
      [ws],
    );
    expect(perPhone).toHaveLength(PHONES);
    expect(perPhone.filter((p: { customers: number }) => p.customers !== 1)).toEqual([]);
    // Each follower is linked to the customer that owns its phone.
    const owners = new Map<string, string>(
      (
        await stack
          .db('contacts')
          .query('SELECT e164, customer_id FROM phone_owner WHERE workspace_id = $1', [ws])
      ).map((r: { e164: string; customer_id: string }) => [r.e164, r.customer_id]),
    );
    const followers = await stack
      .db('followers')
      .query('SELECT zalo_user_id, customer_id FROM zalo_follower WHERE workspace_id = $1', [ws]);
    const wrong = followers.filter(
      (f: { zalo_user_id: string; customer_id: string }) =>
        owners.get(`+84${phoneOf(Number(f.zalo_user_id.slice(1)) % PHONES).slice(1)}`) !==
        f.customer_id,
    );
    expect(wrong).toEqual([]);
    for (const db of ['contacts', 'followers']) {
      expect(await count(stack, db, 'SELECT count(*)::int AS n FROM dead_letter', [])).toBe(0);
    }
  }, 240_000);

  it('dead-letters the one malformed event among 1,000; the other 999 apply and lag returns to 0', async () => {
    const ws2 = `poison-${randomBytes(3).toString('hex')}`;
    const events = Array.from({ length: 1000 }, (_, i) => ({
      id: randomUUID(),
      type: FOLLOWER_PHONE_SHARED,
      version: 1,
      workspaceId: ws2,
      key: `+8491${String(2000000 + i)}`,
      occurredAt: new Date().toISOString(),
      payload: {
        followerId: randomUUID(),
        zaloUserId: `p${i}`,
        phone: `091${String(2000000 + i)}`,
        phoneE164: `+8491${String(2000000 + i)}`,
        name: null,
        address: null,
        city: null,
        district: null,
        ward: null,
      },
    }));
    delete (events[500].payload as Partial<(typeof events)[0]['payload']>).phoneE164;
    const deadBefore = await count(
      stack,
      'contacts',
      'SELECT count(*)::int AS n FROM dead_letter',
      [],
    );
    const kafka = createKafka(testKafkaBrokers(), 'poison', createLogger('error'));
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    await producer.send({
      topic: stack.topicPrefix + FOLLOWER_PHONE_SHARED,
      messages: events.map((e) => ({ key: e.key, value: JSON.stringify(e) })),
    });
    await producer.disconnect();
    await eventually(
      () =>
        count(stack, 'contacts', 'SELECT count(*)::int AS n FROM inbox WHERE workspace_id = $1', [
          ws2,
        ]),
      (n) => n === 999,
      60_000,
    );
    const dead = await stack
      .db('contacts')
      .query('SELECT event_id, error FROM dead_letter ORDER BY id OFFSET $1', [deadBefore]);
    expect(dead).toEqual([
      { event_id: events[500].id, error: expect.stringContaining('phoneE164') },
    ]);
    expect(
      await count(
        stack,
        'contacts',
        'SELECT count(*)::int AS n FROM phone_owner WHERE workspace_id = $1',
        [ws2],
      ),
    ).toBe(999);
    await eventually(
      () => contactsLag(stack),
      (lag) => lag === 0,
      30_000,
    );
  }, 120_000);
});

describe('a broker outage', () => {
  let stack: TestStack;
  let broker: Broker;
  let brokerDown = false;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cg-outage-'));
    // A port of this worker's band: the broker comes back on it after the outage.
    broker = await startBroker({ port: await freePort(), dataDir: dir });
    stack = await startTestStack(undefined, { kafkaBrokers: [broker.address] });
  }, 60_000);
  afterAll(async () => {
    // Clients stop cleanly only with a broker to say goodbye to.
    if (brokerDown) broker = await startBroker({ port: broker.port, dataDir: dir });
    await stack?.stop();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every webhook while the broker is down for 10 s, and applies them all after', async () => {
    const ws = `outage-${randomBytes(3).toString('hex')}`;
    const oa = await connect(stack, ws);
    const url = webhookUrl(stack);
    const port = broker.port;
    await broker.stop();
    brokerDown = true;
    const statuses: number[] = [];
    const started = Date.now();
    for (let i = 0; Date.now() - started < 10_000; i++) {
      const body = submitInfoBody(oa, `o${i}`, { name: `Khách ${i}`, phone: phoneOf(5000 + i) });
      statuses.push((await postSigned(url, oa, body)).status);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(
      await count(
        stack,
        'followers',
        // Each webhook's event waits (the OA connection's audit event may wait too).
        `SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL AND value->>'type' = $1`,
        [FOLLOWER_PHONE_SHARED],
      ),
    ).toBe(statuses.length);

    broker = await startBroker({ port, dataDir: dir });
    brokerDown = false;
    await eventually(
      () =>
        count(
          stack,
          'followers',
          'SELECT count(*)::int AS n FROM zalo_follower WHERE workspace_id = $1 AND customer_id IS NOT NULL',
          [ws],
        ),
      (n) => n === statuses.length,
      90_000,
    );
  }, 150_000);
});
