// bench:events --scale: the pipeline scaled out on this machine. For each shape (the
// topics' partition count, and how many processes of contacts and of followers share
// their consumer groups), a fresh stack takes each rate for DURATION_S seconds: the
// webhook → visible lag of sampled webhooks (events-drive.ts), the consumer groups'
// lag (messages not yet committed, sampled every LAG_SAMPLE_MS; its peak and the
// seconds until all is consumed), the outbox backlogs, and the CPU per webhook. Then
// the consumers' own capacity: BENCH_DRAIN_EVENTS (10,000) events put on the topic at
// once, and how fast each group gets through them (drainPhase).
//
// The broker is kafka-lite started here with the shape's partition count (the stack
// uses it as an external broker: KAFKA_BROKERS); the extra service processes are
// started here too, with the stack's database, broker and secrets, each on a port of
// its own. Every process of a service runs its relay (one publishes at a time: the
// advisory lock) and its consumer (the group spreads the partitions over them).
//
// Env: BENCH_SCALE_SHAPES (partitions/contacts/followers: "3/1/1,6/1/1,6/2/2"),
// BENCH_SCALE_RATES (500,1000), BENCH_DURATION_S (10).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import {
  FOLLOWER_PHONE_SHARED,
  createEvent,
  createIdempotentProducer,
  createKafka,
  createLogger,
  repoRoot,
  subgraphVariables,
} from '@customer-graph/runtime';
import { postgresUrl } from '../src/postgres';
import { freePort } from '../src/ports';
import { startBenchStack } from './bench-stack';
import { benchWorkspace, drive } from './events-drive';
import { cpuPer, sampleCpu } from './process-cpu';

const SHAPES = (process.env.BENCH_SCALE_SHAPES ?? '3/1/1,6/1/1,6/2/2').split(',').map((s) => {
  const [partitions, contacts, followers] = s.split('/').map(Number);
  return { partitions, contacts, followers };
});
const RATES = (process.env.BENCH_SCALE_RATES ?? '500,1000').split(',').map(Number).filter(Boolean);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const LAG_SAMPLE_MS = 250;
const DRAIN_EVENTS = Number(process.env.BENCH_DRAIN_EVENTS ?? 10_000);

/** The consumer group of each hop, and the topic it reads. */
const GROUPS = [
  { groupId: 'contacts', topic: 'followers.follower.phone-shared' },
  { groupId: 'followers', topic: 'contacts.customer.zalo-linked' },
  { groupId: 'orders-loyalty', topic: 'contacts.customer.phones-changed' },
];

function spawnNode(script: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', script, ...args],
    { cwd: repoRoot(), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  process.once('exit', () => child.kill('SIGKILL'));
  return child;
}

const waitForLine = (child: ChildProcess, text: string) =>
  new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(text)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before "${text}":\n${out}`)));
  });

async function waitReady(port: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`instance on port ${port} not ready`);
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** Per group, now: messages committed (consumed) and messages written, over all partitions. */
async function groupOffsets(admin: ReturnType<ReturnType<typeof createKafka>['admin']>) {
  const out: Record<string, { committed: number; written: number }> = {};
  for (const { groupId, topic } of GROUPS) {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    out[groupId] = ends.reduce(
      (sum, end) => {
        const done = committed?.partitions.find((p) => p.partition === end.partition)?.offset;
        const from = done !== undefined && Number(done) >= 0 ? Number(done) : Number(end.low);
        return { committed: sum.committed + from, written: sum.written + Number(end.high) };
      },
      { committed: 0, written: 0 },
    );
  }
  return out;
}

/** The fastest a group consumed, over any window of at least a second (messages/s). */
function peakRate(samples: { at: number; committed: number }[]): number {
  let best = 0;
  for (let i = 0, j = 0; j < samples.length; j++) {
    while (i < j && samples[j].at - samples[i + 1].at >= 1000) i++;
    const span = samples[j].at - samples[i].at;
    if (span >= 1000)
      best = Math.max(best, ((samples[j].committed - samples[i].committed) * 1000) / span);
  }
  return Math.round(best);
}

/** Per relay (database): rows still unsent, and rows sent so far. */
async function outboxes(postgresPort: number) {
  const out: Record<string, { unsent: number; sent: number }> = {};
  for (const db of ['cg_followers', 'cg_contacts']) {
    const c = new Client({ connectionString: postgresUrl(postgresPort, db) });
    await c.connect();
    const { rows } = await c.query(
      `SELECT count(*) FILTER (WHERE sent_at IS NULL)::int AS unsent,
              count(*) FILTER (WHERE sent_at IS NOT NULL)::int AS sent FROM outbox`,
    );
    out[db] = rows[0] as { unsent: number; sent: number };
    await c.end();
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * The consumers' own capacity, without the webhooks' ingress (which saturates this
 * machine first): DRAIN_EVENTS phone-shared events put on the topic at once, as the
 * followers relay would after an outage, and the time each group takes to consume
 * everything that follows from them (contacts: phone-shared; then followers and
 * orders-loyalty: what contacts publishes).
 */
async function drainPhase(
  brokers: string,
  admin: ReturnType<ReturnType<typeof createKafka>['admin']>,
  cpuOf: () => { ms: Map<string, number> },
) {
  const workspaceId = `drain-${randomBytes(3).toString('hex')}`;
  const events = Array.from({ length: DRAIN_EVENTS }, (_, n) => {
    const e164 = `+8497${String(10_000_000 + n).slice(1)}`;
    return createEvent({
      type: FOLLOWER_PHONE_SHARED,
      workspaceId,
      key: e164,
      payload: {
        followerId: randomUUID(),
        zaloUserId: `d${n}`,
        phone: `097${String(10_000_000 + n).slice(1)}`,
        phoneE164: e164,
        name: `Khách ${n}`,
      },
    });
  });
  const producer = createIdempotentProducer(
    createKafka([brokers], 'bench-drain', createLogger('error')),
  );
  await producer.connect();
  const before = cpuOf();
  const started = Date.now();
  for (let i = 0; i < events.length; i += 500) {
    await producer.send({
      topic: 'followers.follower.phone-shared',
      acks: -1,
      messages: events.slice(i, i + 500).map((e) => ({ key: e.key, value: JSON.stringify(e) })),
    });
  }
  await producer.disconnect();
  const doneAt: Record<string, number> = {};
  while (Object.keys(doneAt).length < GROUPS.length) {
    const offsets = await groupOffsets(admin);
    // Downstream groups count only once what feeds them is all written.
    const upstreamDone = doneAt.contacts !== undefined;
    for (const [g, o] of Object.entries(offsets)) {
      if (
        doneAt[g] === undefined &&
        o.written === o.committed &&
        (g === 'contacts' || upstreamDone)
      )
        doneAt[g] = Date.now();
    }
    if (Date.now() - started > 300_000) throw new Error('drain not done within 300 s');
    await new Promise((r) => setTimeout(r, LAG_SAMPLE_MS));
  }
  const after = cpuOf();
  return {
    events: DRAIN_EVENTS,
    secondsUntilConsumed: Object.fromEntries(
      Object.entries(doneAt).map(([g, at]) => [g, Math.round((at - started) / 100) / 10]),
    ),
    eventsPerSecond: Object.fromEntries(
      Object.entries(doneAt).map(([g, at]) => [
        g,
        Math.round((DRAIN_EVENTS * 1000) / (at - started)),
      ]),
    ),
    cpuMsPerEvent: cpuPer(before, after, DRAIN_EVENTS),
  };
}

async function runShape(shape: (typeof SHAPES)[number]) {
  const kafkaDir = mkdtempSync(path.join(os.tmpdir(), 'cg-bench-scale-kafka-'));
  const kafkaPort = await freePort();
  const kafka = spawnNode(
    'infra/kafka-lite/src/main.ts',
    ['--port', String(kafkaPort), '--data-dir', kafkaDir, '--partitions', String(shape.partitions)],
    {},
  );
  kafka.stdout!.resume();
  await waitForLine(kafka, 'listening');
  const brokers = `127.0.0.1:${kafkaPort}`;
  // Shared by the stack and the extra processes: the same secrets, the same broker.
  const secrets = {
    KAFKA_BROKERS: brokers,
    CONTEXT_SIGNING_SECRET: randomBytes(32).toString('base64url'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
  };
  Object.assign(process.env, secrets);
  const stack = await startBenchStack('events-scale', 600_000);
  const postgresPort = Number(stack.ports.POSTGRES_PORT);
  const extras: ChildProcess[] = [];
  for (const [service, count] of [
    ['contacts', shape.contacts],
    ['followers', shape.followers],
  ] as const) {
    for (let i = 1; i < count; i++) {
      const port = await freePort();
      const vars = subgraphVariables(service);
      const child = spawnNode(`services/${service}/src/main.ts`, [], {
        ...secrets,
        [vars.database]: postgresUrl(postgresPort, `cg_${service}`),
        [vars.port]: String(port),
        LOG_LEVEL: 'warn',
      });
      child.stdout!.resume();
      extras.push(child);
      await waitReady(port);
    }
  }
  const admin = createKafka([brokers], 'bench-scale', createLogger('error')).admin();
  await admin.connect();
  // The stack's tree, the broker and the extra processes, by kind of process.
  const cpuOf = () => {
    const ms = new Map<string, number>();
    for (const pid of [stack.process.pid!, kafka.pid!, ...extras.map((c) => c.pid!)]) {
      for (const [k, v] of sampleCpu(pid)?.ms ?? []) ms.set(k, (ms.get(k) ?? 0) + v);
    }
    return { ms };
  };

  // Warm-up (and every group settled on its partitions), not recorded.
  await drive(
    stack.gateway,
    await benchWorkspace(stack.gateway, stack.jwtSecret, 'warmup'),
    100,
    8,
    true,
  );

  const results = [];
  for (const rate of RATES) {
    const ws = await benchWorkspace(stack.gateway, stack.jwtSecret, `scale-${rate}`);
    const peak: Record<string, number> = {};
    const series: Record<string, { at: number; committed: number }[]> = {};
    const backlogPeak: Record<string, number> = {};
    const sample = async () => {
      const offsets = await groupOffsets(admin);
      const at = Date.now();
      for (const [g, o] of Object.entries(offsets)) {
        peak[g] = Math.max(peak[g] ?? 0, o.written - o.committed);
        (series[g] ??= []).push({ at, committed: o.committed });
      }
      const relays = await outboxes(postgresPort);
      for (const [db, o] of Object.entries(relays)) {
        backlogPeak[db] = Math.max(backlogPeak[db] ?? 0, o.unsent);
        (series[`relay ${db}`] ??= []).push({ at, committed: o.sent });
      }
      return { offsets, relays };
    };
    let sampling = true;
    const started = Date.now();
    let drainedAt = 0;
    const sampler = (async () => {
      while (sampling) {
        await sample();
        await new Promise((r) => setTimeout(r, LAG_SAMPLE_MS));
      }
    })();
    const before = cpuOf();
    const driven = await drive(stack.gateway, ws, rate, DURATION_S, true);
    const sentFor = (Date.now() - started) / 1000;
    // Until every group has consumed everything and the outboxes are empty.
    for (;;) {
      const { offsets, relays } = await sample();
      if (
        Object.values(offsets).every((o) => o.written === o.committed) &&
        Object.values(relays).every((o) => o.unsent === 0)
      ) {
        drainedAt = Date.now();
        break;
      }
      if (Date.now() - started > 180_000) throw new Error('not drained within 180 s');
      await new Promise((r) => setTimeout(r, LAG_SAMPLE_MS));
    }
    const after = cpuOf();
    sampling = false;
    await sampler;
    const lags = [...driven.watched.values()]
      .map((w) => w.seenAt - w.acceptedAt)
      .sort((a, b) => a - b);
    const result = {
      ...shape,
      targetRatePerSecond: rate,
      achievedRatePerSecond: driven.achievedRatePerSecond,
      sent: driven.sent,
      refused: driven.refused,
      sampledLinked: lags.length,
      notLinkedWithin60s: driven.notLinkedWithin60s,
      lagMs: { p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags[lags.length - 1] },
      peakConsumerLagMessages: peak,
      peakOutboxBacklog: backlogPeak,
      // Per group (consumed) and per relay (published); committed offsets move at most
      // every 200 ms (offsets.ts): rates over windows of at least a second.
      peakRatePerSecond: Object.fromEntries(
        Object.entries(series).map(([g, points]) => [g, peakRate(points)]),
      ),
      secondsSending: Math.round(sentFor * 10) / 10,
      secondsUntilDrained: Math.round(((drainedAt - started) / 1000) * 10) / 10,
      // The watching (sampled webhooks polled through the gateway) is included here.
      cpuMsPerWebhook: cpuPer(before, after, driven.sent),
    };
    console.log(JSON.stringify(result));
    results.push(result);
  }
  const drain = await drainPhase(brokers, admin, cpuOf);
  console.log(JSON.stringify({ ...shape, drain }));
  results.push({ ...shape, drain });
  await admin.disconnect();
  await Promise.all(extras.map(stop));
  await stack.stop();
  await stop(kafka);
  rmSync(kafkaDir, { recursive: true, force: true });
  for (const key of Object.keys(secrets)) delete process.env[key];
  return results;
}

export async function scaleOut() {
  const shapes = [];
  for (const shape of SHAPES) shapes.push(...(await runShape(shape)));
  return {
    setup: {
      durationSeconds: DURATION_S,
      shapes: 'partitions per topic / contacts processes / followers processes',
      measured:
        'webhook → visible lag of sampled webhooks; consumer groups’ lag (messages) peak; time until every group and outbox is drained; CPU per webhook (watching included)',
    },
    results: shapes,
  };
}
