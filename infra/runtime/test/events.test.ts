// The event backbone against real servers: Postgres for the outbox and inbox,
// kafka-lite over the Kafka wire protocol through kafkajs.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { startBroker } from '@customer-graph/kafka-lite';
import {
  CreateEventTables1763900000050,
  CreateWorkspaceTable1763900000000,
  EventContractError,
  PermanentEventError,
  WorkspaceEntity,
  appendEvent,
  appendEventSql,
  appendEvents,
  FOLLOWER_PHONE_SHARED,
  createEvent,
  createEventMetrics,
  createIdempotentProducer,
  createKafka,
  createLogger,
  currentRequest,
  openDatabase,
  runInRequest,
  startEventConsumer,
  startOutboxRelay,
} from '../src';
import type { BatchEventHandler, EventConsumer, EventHandler, EventOf, OutboxRelay } from '../src';
import { createTestDatabase, testKafkaBrokers, testTopicPrefix } from '../src/testing';

const logger = createLogger('error');
const TYPE = FOLLOWER_PHONE_SHARED;
type Shared = EventOf<typeof TYPE>;
const WS = 'backbone-ws';

function phoneShared(key: string, name: string): Shared {
  return createEvent({
    type: TYPE,
    workspaceId: WS,
    key,
    payload: {
      followerId: randomUUID(),
      zaloUserId: `z-${key}`,
      phone: key,
      phoneE164: '+84912345678',
      name,
    },
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let db: DataSource;
let databaseUrl: string;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  databaseUrl = await createTestDatabase('events');
  db = await openDatabase({
    url: databaseUrl,
    applicationName: 'events-test',
    entities: [WorkspaceEntity],
    migrations: [CreateWorkspaceTable1763900000000, CreateEventTables1763900000050],
  });
  await db.query('CREATE TABLE applied (seq serial, event_id uuid, key text, name text)');
});

afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

afterAll(() => db?.destroy());

const record: EventHandler<typeof TYPE> = async (tx, e) => {
  await tx.query('INSERT INTO applied (event_id, key, name) VALUES ($1, $2, $3)', [
    e.id,
    e.key,
    e.payload.name,
  ]);
};

async function start(
  prefix: string,
  brokers: string[],
  handler: EventHandler<typeof TYPE> | BatchEventHandler<typeof TYPE> = record,
) {
  const kafka = createKafka(brokers, 'events-test', logger);
  const relay: OutboxRelay = startOutboxRelay({
    db,
    databaseUrl,
    kafka,
    logger,
    topicPrefix: prefix,
  });
  const consumer: EventConsumer = await startEventConsumer({
    db,
    kafka,
    groupId: `${prefix}group`,
    topicPrefix: prefix,
    handlers: { [TYPE]: handler },
    logger,
    maxAttempts: 3,
    retryBaseMs: 10,
  });
  stops.push(
    () => relay.stop(),
    () => consumer.stop(),
  );
  return { kafka, relay, consumer };
}

const appliedFor = async (names: string[]) =>
  (await db.query('SELECT key, name FROM applied WHERE name = ANY($1) ORDER BY seq', [names])) as {
    key: string;
    name: string;
  }[];

describe('the outbox', () => {
  it('refuses an invalid event and rolls back the state change with it', async () => {
    const bad = { ...phoneShared('k', 'x'), payload: { phone: 12 } } as unknown as Shared;
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO applied (key, name) VALUES ('rolled', 'back')`);
        await appendEvent(tx, bad);
      }),
    ).rejects.toThrow(EventContractError);
    expect(await db.query(`SELECT * FROM applied WHERE key = 'rolled'`)).toEqual([]);
    expect(await db.query('SELECT * FROM outbox WHERE id = $1', [bad.id])).toEqual([]);
  });

  it("writes a row inside a caller's statement with appendEventSql: one per row of `from`, patched", async () => {
    const write = (rows: string[], event: Shared) => {
      const sent = appendEventSql(event, {
        firstParam: 2,
        from: 'changed',
        payloadFrom: { followerId: 'changed.id::text' },
      });
      return db.query(
        `WITH changed AS (SELECT unnest($1::uuid[]) AS id), sent AS (${sent.sql})
         SELECT count(*)::int AS n FROM sent`,
        [rows, ...sent.params],
      ) as Promise<{ n: number }[]>;
    };
    const patched = phoneShared('sql-1', 'sql-1');
    const realId = randomUUID();
    expect(await write([realId], patched)).toEqual([{ n: 1 }]);
    const [row] = await db.query('SELECT topic, key, value FROM outbox WHERE id = $1', [
      patched.id,
    ]);
    expect(row).toEqual({
      topic: TYPE,
      key: 'sql-1',
      value: { ...patched, payload: { ...patched.payload, followerId: realId } },
    });
    // No row in `from`: no event.
    const none = phoneShared('sql-2', 'sql-2');
    expect(await write([], none)).toEqual([{ n: 0 }]);
    expect(await db.query('SELECT * FROM outbox WHERE id = $1', [none.id])).toEqual([]);
  });
});

describe('relay and consumer', () => {
  it('publish in commit order per key and apply each event once, even when redelivered', async () => {
    const prefix = testTopicPrefix('order');
    const { kafka } = await start(prefix, testKafkaBrokers());
    const events = Array.from({ length: 60 }, (_, i) => phoneShared(`key-${i % 4}`, `ord-${i}`));
    for (const event of events) await db.transaction((tx) => appendEvent(tx, event));
    const names = events.map((e) => e.payload.name!);
    await waitFor(async () => (await appliedFor(names)).length === 60);

    // Redeliver every event, as a relay that crashed before marking them sent would.
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    await producer.send({
      topic: prefix + TYPE,
      messages: events.map((e) => ({ key: e.key, value: JSON.stringify(e) })),
    });
    await producer.disconnect();
    const marker = phoneShared('key-0', 'ord-marker');
    await db.transaction((tx) => appendEvent(tx, marker));
    await waitFor(async () => (await appliedFor(['ord-marker'])).length === 1);

    const applied = await appliedFor(names);
    expect(applied).toHaveLength(60);
    for (let k = 0; k < 4; k++) {
      const inOrder = events.filter((e) => e.key === `key-${k}`).map((e) => e.payload.name!);
      expect(applied.filter((a) => a.key === `key-${k}`).map((a) => a.name)).toEqual(inOrder);
    }
  });

  it("carry the causing request's id: into the event, the handler's scope, its log lines and the events it appends", async () => {
    const prefix = testTopicPrefix('reqid');
    const seen: { requestId?: string; caused: Shared }[] = [];
    const causeAnother: EventHandler<typeof TYPE> = async (tx, e) => {
      await record(tx, e, logger);
      // What the handler creates while applying: an event it causes.
      seen.push({ requestId: currentRequest()?.requestId, caused: phoneShared('x', 'caused') });
    };
    await start(prefix, testKafkaBrokers(), causeAnother);
    const lines: string[] = [];
    const requestId = `webhook-${randomUUID()}`;
    // Created while serving a request: it carries the request's id.
    const inRequest = runInRequest({ requestId }, () => phoneShared('rq-1', 'rq-in'));
    expect(inRequest.requestId).toBe(requestId);
    // Created outside any request (a schedule): none.
    const outside = phoneShared('rq-2', 'rq-out');
    expect(outside).not.toHaveProperty('requestId');
    for (const event of [inRequest, outside]) {
      await db.transaction((tx) => appendEvent(tx, event));
    }
    await waitFor(async () => (await appliedFor(['rq-in', 'rq-out'])).length === 2);
    expect(seen.map((s) => s.requestId).sort()).toEqual([requestId, undefined].sort());
    const caused = seen.find((s) => s.requestId === requestId)!.caused;
    expect(caused.requestId).toBe(requestId);
    expect(seen.find((s) => s.requestId === undefined)!.caused).not.toHaveProperty('requestId');
    // A log line written in that scope names the request.
    runInRequest({ requestId }, () => createLogger('debug', (l) => lines.push(l)).debug('x'));
    expect(lines[0]).toContain(`requestId=${requestId}`);
  });

  it('commit the offsets of what was applied when the consumer stops', async () => {
    const prefix = testTopicPrefix('stop');
    const { kafka, consumer } = await start(prefix, testKafkaBrokers());
    const events = Array.from({ length: 30 }, (_, i) => phoneShared(`k${i % 3}`, `stop-${i}`));
    for (const event of events) await db.transaction((tx) => appendEvent(tx, event));
    await waitFor(async () => (await appliedFor(events.map((e) => e.payload.name!))).length === 30);
    // At once, within the commit interval: the stop commits what is due.
    await consumer.stop();
    const metrics = createEventMetrics(db, kafka, {
      groupId: `${prefix}group`,
      topics: [prefix + TYPE],
    });
    const lag = (await metrics.read()).consumerLag!;
    await metrics.stop();
    expect(lag.length).toBeGreaterThan(0);
    expect(lag.map((p) => p.lag)).toEqual(lag.map(() => 0));
  });

  it('hand runs of events to a batch handler, each event once and in order per key', async () => {
    const prefix = testTopicPrefix('batch');
    const runs: number[] = [];
    const batch: BatchEventHandler<typeof TYPE> = {
      async batch(tx, events) {
        runs.push(events.length);
        for (const event of events) await record(tx, event, logger);
      },
    };
    const { kafka } = await start(prefix, testKafkaBrokers(), batch);
    const events = Array.from({ length: 200 }, (_, i) => phoneShared(`bkey-${i % 3}`, `bat-${i}`));
    // One transaction, one statement: appendEvents.
    await db.transaction((tx) => appendEvents(tx, events));
    const names = events.map((e) => e.payload.name!);
    await waitFor(async () => (await appliedFor(names)).length === 200);
    // Redelivered together with a new event: the repeats are dropped by the inbox.
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    const marker = phoneShared('bkey-0', 'bat-marker');
    await producer.send({
      topic: prefix + TYPE,
      messages: [...events.slice(0, 50), marker].map((e) => ({
        key: e.key,
        value: JSON.stringify(e),
      })),
    });
    await producer.disconnect();
    await waitFor(async () => (await appliedFor(['bat-marker'])).length === 1);
    const applied = await appliedFor(names);
    expect(applied).toHaveLength(200);
    for (let k = 0; k < 3; k++) {
      const inOrder = events.filter((e) => e.key === `bkey-${k}`).map((e) => e.payload.name!);
      expect(applied.filter((a) => a.key === `bkey-${k}`).map((a) => a.name)).toEqual(inOrder);
    }
    expect(Math.max(...runs)).toBeGreaterThan(1);
  });

  it('dead-letters malformed, invalid and always-failing events; retries the flaky; applies the rest', async () => {
    const prefix = testTopicPrefix('dlq');
    let flakyFailures = 0;
    let permanentCalls = 0;
    const { kafka } = await start(prefix, testKafkaBrokers(), async (tx, event, log) => {
      const { name } = event.payload;
      if (name === 'dlq-poison') throw new Error('poison pill');
      if (name === 'dlq-permanent') {
        permanentCalls++;
        throw new PermanentEventError('cannot ever apply');
      }
      if (name === 'dlq-flaky' && flakyFailures++ < 2) throw new Error('deadlock, try again');
      await record(tx, event, log);
    });
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    const invalid = { ...phoneShared('k1', 'dlq-invalid'), payload: { nope: true } };
    await producer.send({
      topic: prefix + TYPE,
      messages: [
        { key: 'k1', value: '{not json' },
        { key: 'k1', value: JSON.stringify(invalid) },
      ],
    });
    await producer.disconnect();
    const good = ['dlq-poison', 'dlq-permanent', 'dlq-flaky', 'dlq-ok-1', 'dlq-ok-2'].map((n) =>
      phoneShared('k1', n),
    );
    for (const event of good) await db.transaction((tx) => appendEvent(tx, event));

    await waitFor(async () => (await appliedFor(['dlq-ok-2'])).length === 1);
    expect((await appliedFor(['dlq-flaky', 'dlq-ok-1', 'dlq-ok-2'])).map((a) => a.name)).toEqual([
      'dlq-flaky',
      'dlq-ok-1',
      'dlq-ok-2',
    ]);
    const dead = await db.query('SELECT error FROM dead_letter WHERE topic = $1 ORDER BY id', [
      prefix + TYPE,
    ]);
    expect(dead.map((d: { error: string }) => d.error)).toEqual([
      expect.stringMatching(/^not JSON/),
      expect.stringMatching(/^invalid followers\.follower\.phone-shared event/),
      'poison pill',
      'cannot ever apply',
    ]);
    // At most once in a chunk and once on its own; retried, it would run maxAttempts (3)
    // times on its own.
    expect(permanentCalls).toBeGreaterThanOrEqual(1);
    expect(permanentCalls).toBeLessThanOrEqual(2);
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(`${prefix}${prefix}group.dlq`);
    await admin.disconnect();
    expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(4);

    const metrics = createEventMetrics(db, kafka, {
      groupId: `${prefix}group`,
      topics: [prefix + TYPE],
    });
    await waitFor(async () => (await metrics.read()).consumerLag!.every((p) => p.lag === 0));
    await metrics.stop();
  });

  it('only delays events while the broker is down', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cg-outage-'));
    let broker = await startBroker({ port: 0, dataDir: dir });
    const port = broker.port;
    stops.push(async () => {
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    const prefix = testTopicPrefix('outage');
    const { relay } = await start(prefix, [broker.address]);
    const before = phoneShared('o', 'out-before');
    await db.transaction((tx) => appendEvent(tx, before));
    await waitFor(async () => (await appliedFor(['out-before'])).length === 1);

    await broker.stop();
    const during = Array.from({ length: 20 }, (_, i) => phoneShared(`o${i % 3}`, `out-${i}`));
    for (const event of during) await db.transaction((tx) => appendEvent(tx, event));
    await new Promise((r) => setTimeout(r, 1500));
    expect(await relay.backlog()).toBeGreaterThan(0);

    broker = await startBroker({ port, dataDir: dir });
    const names = during.map((e) => e.payload.name!);
    await waitFor(async () => (await appliedFor(names)).length === 20, 40_000);
    expect(await relay.backlog()).toBe(0);
  }, 60_000);
});
