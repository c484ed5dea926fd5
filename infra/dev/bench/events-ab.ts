// What a change to the events pipeline buys, measured apart from the stack: the outbox
// relay, and the consumer, of this tree ("after") and of another checkout ("before",
// BENCH_AB_BASE=<its root>), run in turns (before, after, before, after…) on one
// Postgres and one kafka-lite process, each on the same steady load, so both see the
// machine as it is at that moment. Per event: CPU ms of this process (the component
// and the load generator, the same in every turn), of Postgres (every backend) and
// of the broker, less a turn with the load alone.
//   relay:    RATE events/s, each appended in a transaction of its own, published;
//   consumer: RATE events/s, each sent to Kafka on its own, applied by a batch handler.
//   BENCH_AB_BASE=/path/to/old/checkout node --conditions=source --import tsx infra/dev/bench/events-ab.ts
// Env: RATE (200), EVENTS (2000), ROUNDS (2). Results: bench/results/events-ab.json.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import {
  CreateEventTables1763900000050,
  CreateWorkspaceTable1763900000000,
  FOLLOWER_PHONE_SHARED,
  WorkspaceEntity,
  appendEvent,
  createEvent,
  createIdempotentProducer,
  createKafka,
  createLogger,
  openDatabase,
  repoRoot,
} from '@customer-graph/runtime';
import * as after from '@customer-graph/runtime';
import type { EventOf } from '@customer-graph/runtime';
import { startEmbeddedPostgres } from '../src/postgres';
import { freePort } from '../src/ports';
import { writeResults } from './bench-stack';
import { sampleCpu } from './process-cpu';

const RATE = Number(process.env.RATE ?? 200);
const EVENTS = Number(process.env.EVENTS ?? 2000);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const BASE = process.env.BENCH_AB_BASE;
const TYPE = FOLLOWER_PHONE_SHARED;
const logger = createLogger('error');

type Runtime = Pick<typeof after, 'startOutboxRelay' | 'startEventConsumer'>;

function event(n: number): EventOf<typeof TYPE> {
  return createEvent({
    type: TYPE,
    workspaceId: 'ab-ws',
    key: `+8491${String(1_000_000 + n).slice(1)}`,
    payload: {
      followerId: crypto.randomUUID(),
      zaloUserId: `ab-${n}`,
      phone: `091${String(1_000_000 + n).slice(1)}`,
      phoneE164: `+8491${String(1_000_000 + n).slice(1)}`,
      name: `Khách ${n}`,
    },
  });
}

/** Calls `send(i)` for i < EVENTS at RATE a second. */
async function steady(send: (i: number) => Promise<void>): Promise<void> {
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < EVENTS; i++) {
    const wait = started + (i * 1000) / RATE - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const p = send(i).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
}

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('not done within 120 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  if (!BASE) throw new Error('BENCH_AB_BASE: the root of the checkout to compare with');
  const before = (await import(path.join(BASE, 'infra/runtime/src/events/relay.ts'))) as Pick<
    Runtime,
    'startOutboxRelay'
  >;
  const beforeConsumer = (await import(
    path.join(BASE, 'infra/runtime/src/events/consumer.ts')
  )) as Pick<Runtime, 'startEventConsumer'>;
  const runtimes: Record<string, Runtime> = {
    before: { ...before, ...beforeConsumer },
    after,
  };

  const dir = mkdtempSync(path.join(os.tmpdir(), 'cg-events-ab-'));
  chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'pg'),
    port: await freePort(),
    persistent: false,
  });
  const kafkaPort = await freePort();
  const broker = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      'infra/kafka-lite/src/main.ts',
      '--port',
      String(kafkaPort),
      '--data-dir',
      path.join(dir, 'kafka'),
    ],
    { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) =>
    broker.stdout!.on('data', (c: Buffer) => c.toString().includes('listening') && resolve()),
  );
  const kafka = createKafka([`127.0.0.1:${kafkaPort}`], 'events-ab', logger);
  await pg.ensureDatabase('ab');
  const databaseUrl = pg.url('ab');
  const db: DataSource = await openDatabase({
    url: databaseUrl,
    applicationName: 'events-ab',
    entities: [WorkspaceEntity],
    migrations: [CreateWorkspaceTable1763900000000, CreateEventTables1763900000050],
  });
  await db.query('CREATE TABLE applied (event_id uuid, name text)');

  // CPU ms so far: this process, the Postgres server's processes, the broker (both
  // are children of this process).
  const cpu = () => {
    const u = process.cpuUsage();
    const children = sampleCpu(process.pid)?.ms;
    return {
      node: (u.user + u.system) / 1000,
      postgres: children?.get('postgres') ?? 0,
      broker: children?.get('kafka-lite') ?? 0,
    };
  };
  const per = (a: ReturnType<typeof cpu>, b: ReturnType<typeof cpu>) => ({
    node: (b.node - a.node) / EVENTS,
    postgres: (b.postgres - a.postgres) / EVENTS,
    broker: (b.broker - a.broker) / EVENTS,
  });

  let round = 0;
  const relayTurn = async (runtime: Runtime | undefined) => {
    const prefix = `ab${round++}.`;
    const relay = runtime?.startOutboxRelay({
      db,
      databaseUrl,
      kafka,
      logger,
      topicPrefix: prefix,
    });
    await new Promise((r) => setTimeout(r, 1000));
    const start = cpu();
    await steady((i) => db.transaction((tx) => appendEvent(tx, event(i))));
    if (relay) await until(async () => (await relay.backlog()) === 0);
    const used = per(start, cpu());
    await relay?.stop();
    if (!relay) await db.query('UPDATE outbox SET sent_at = now() WHERE sent_at IS NULL');
    return used;
  };

  const consumerTurn = async (runtime: Runtime | undefined) => {
    const prefix = `ab${round++}.`;
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    const events = Array.from({ length: EVENTS }, (_, i) => event(i));
    // The topic exists before anything is timed.
    await producer.send({ topic: prefix + TYPE, messages: [{ key: 'warm', value: 'x' }] });
    const consumer = await runtime?.startEventConsumer({
      db,
      kafka,
      groupId: `${prefix}group`,
      topicPrefix: prefix,
      logger,
      handlers: {
        [TYPE]: {
          batch: async (tx, run) => {
            await tx.query(
              'INSERT INTO applied (event_id, name) SELECT * FROM unnest($1::uuid[], $2::text[])',
              [run.map((e) => e.id), run.map((e) => e.payload.name)],
            );
          },
        },
      },
    });
    await new Promise((r) => setTimeout(r, 1000));
    const start = cpu();
    await steady(async (i) => {
      await producer.send({
        topic: prefix + TYPE,
        acks: -1,
        messages: [{ key: events[i].key, value: JSON.stringify(events[i]) }],
      });
    });
    const ids = events.map((e) => e.id);
    if (consumer) {
      await until(
        async () =>
          (
            await db.query('SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1)', [ids])
          )[0].n === EVENTS,
      );
    }
    const used = per(start, cpu());
    await consumer?.stop();
    await producer.disconnect();
    return used;
  };

  const turns: Record<string, Record<string, ReturnType<typeof per>[]>> = {
    relay: {},
    consumer: {},
  };
  // Round 0 warms everything up (code optimised, pools filled) and is not counted;
  // the order of the turns alternates from round to round.
  for (let r = 0; r <= ROUNDS; r++) {
    for (const [component, turn] of [
      ['relay', relayTurn],
      ['consumer', consumerTurn],
    ] as const) {
      const order = ['load alone', 'before', 'after'];
      for (const variant of r % 2 === 0 ? order : [...order].reverse()) {
        const used = await turn(runtimes[variant]);
        if (r > 0) (turns[component][variant] ??= []).push(used);
        console.log(component, variant, r > 0 ? '' : '(warm-up)', JSON.stringify(used));
      }
    }
  }

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const round2 = (x: number) => Math.round(x * 1000) / 1000;
  const summary = Object.fromEntries(
    Object.entries(turns).map(([component, variants]) => {
      const alone = variants['load alone'];
      const net = (variant: string) => {
        const of = (k: 'node' | 'postgres' | 'broker') =>
          round2(mean(variants[variant].map((u) => u[k])) - mean(alone.map((u) => u[k])));
        const parts = { node: of('node'), postgres: of('postgres'), broker: of('broker') };
        return { ...parts, total: round2(parts.node + parts.postgres + parts.broker) };
      };
      return [component, { before: net('before'), after: net('after') }];
    }),
  );
  console.log(JSON.stringify(summary, null, 1));
  writeResults('events-ab', {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverage1m: os.loadavg()[0] },
    setup: { ratePerSecond: RATE, events: EVENTS, rounds: ROUNDS, base: BASE },
    cpuMsPerEvent: summary,
    turns,
  });
  await db.destroy();
  broker.kill('SIGTERM');
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
