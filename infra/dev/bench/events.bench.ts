// npm run bench:events — lag from a Zalo webhook accepted (200 at the gateway) to the
// follower's customer linked and visible through the gateway, at steady rates.
//
// Runs the real stack as `npm start` does (separate processes, embedded Postgres,
// kafka-lite) on free ports and a throw-away data folder, drives signed webhooks at
// each rate for DURATION_S seconds, and polls the gateway (customerByPhone, batched as
// aliases every POLL_MS) to see each link appear. Visibility is therefore measured
// with POLL_MS granularity, on SAMPLES_PER_SECOND webhooks a second (polling them all
// would load the gateway more than the webhooks do). Figures go to
// bench/results/events.json.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { signDevToken } from '@customer-graph/gateway';
import { startBenchStack, writeResults } from './bench-stack';
import { stageLatencies } from './stages';
import { postSigned, submitInfoBody } from '../test/webhooks';
import type { ZaloOA } from '../test/webhooks';

const RATES = (process.env.BENCH_RATES ?? '20,200,1000').split(',').map(Number);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const POLL_MS = 25;
/** Webhooks in flight at once, as a sender's connection pool would allow. */
const MAX_IN_FLIGHT = 64;
const ALIASES_PER_QUERY = 50;
/** Webhooks watched per second, whatever the rate: the watching must not be the load. */
const SAMPLES_PER_SECOND = Number(process.env.BENCH_SAMPLES_PER_SECOND ?? 25);

interface Pending {
  phone: string;
  userId: string;
  acceptedAt: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const stack = await startBenchStack('events', 170_000);
  const { ports, jwtSecret } = stack;

  const { gateway } = stack;

  const results = [];
  let serial = 0;
  for (const rate of RATES) {
    // A workspace (and OA) per rate, so each rate's figures are its own.
    const workspaceId = `bench-${rate}-${randomBytes(3).toString('hex')}`;
    const token = await signDevToken({ workspaceId, userId: 'bench', role: 'admin' }, jwtSecret);
    const graphql = async (query: string, variables?: object) => {
      const res = await fetch(`${gateway}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    };
    const oa: ZaloOA = {
      oaId: `oa-${randomBytes(4).toString('hex')}`,
      appId: 'bench-app',
      secret: 'bench-secret',
    };
    const connected = await graphql(
      `mutation { connectZaloOA(oaId: "${oa.oaId}", appId: "${oa.appId}", secretKey: "${oa.secret}") { oaId } }`,
    );
    if (connected.errors) throw new Error(JSON.stringify(connected.errors));
    const sampleEvery = Math.max(1, Math.round(rate / SAMPLES_PER_SECOND));
    const pending = new Map<string, Pending>();
    const lags: number[] = [];
    let sent = 0;
    let refused = 0;
    let sending = true;
    let lastSentAt = Date.now();

    const poller = (async () => {
      while (sending || pending.size > 0) {
        const batch = [...pending.values()];
        const chunks = [];
        for (let i = 0; i < batch.length; i += ALIASES_PER_QUERY)
          chunks.push(batch.slice(i, i + ALIASES_PER_QUERY));
        await Promise.all(
          chunks.map(async (chunk) => {
            const query = `{ ${chunk
              .map(
                (p, i) =>
                  `p${i}: customerByPhone(phone: "${p.phone}") { zaloFollower { zaloUserId } }`,
              )
              .join(' ')} }`;
            const { data } = await graphql(query);
            const now = Date.now();
            chunk.forEach((p, i) => {
              const found = (data?.[`p${i}`] as { zaloFollower?: { zaloUserId: string } } | null)
                ?.zaloFollower;
              if (found?.zaloUserId === p.userId) {
                lags.push(now - p.acceptedAt);
                pending.delete(p.userId);
              }
            });
          }),
        );
        await new Promise((r) => setTimeout(r, POLL_MS));
        if (!sending && Date.now() - lastSentAt > 60_000) break;
      }
    })();

    const started = Date.now();
    const inFlight = new Set<Promise<void>>();
    const total = rate * DURATION_S;
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      // A saturated stack slows the sender down (the achieved rate says by how much).
      while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
      const n = serial++;
      const userId = `b${n}`;
      const phone = `09${String(100_000_000 + n).slice(1)}`;
      const body = submitInfoBody(oa, userId, { name: `Khách ${n}`, phone });
      const request = postSigned(`${gateway}/webhooks/zalo`, oa, body).then((res) => {
        if (res.status !== 200) refused++;
        else if (n % sampleEvery === 0)
          pending.set(userId, { phone, userId, acceptedAt: Date.now() });
      });
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
      sent++;
      lastSentAt = Date.now();
    }
    await Promise.all(inFlight);
    const sendSeconds = (Date.now() - started) / 1000;
    sending = false;
    await poller;
    lags.sort((a, b) => a - b);
    const stagesMs = await stageLatencies(Number(ports.POSTGRES_PORT), workspaceId);
    const result = {
      targetRatePerSecond: rate,
      achievedRatePerSecond: Math.round(sent / sendSeconds),
      sent,
      refused,
      sampled: lags.length + pending.size,
      sampledLinked: lags.length,
      notLinkedWithin60s: pending.size,
      lagMs: { p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags[lags.length - 1] },
      stagesMs,
    };
    console.log(JSON.stringify(result));
    results.push(result);
  }

  const report = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, loadAverage1m: os.loadavg()[0] },
    setup: {
      durationSeconds: DURATION_S,
      pollMs: POLL_MS,
      samplesPerSecond: SAMPLES_PER_SECOND,
      measured:
        'webhook 200 at the gateway → customerByPhone through the gateway shows the follower',
      processes: 'npm start stack: gateway, 4 subgraphs, kafka-lite, embedded Postgres',
    },
    results,
  };
  writeResults('events', report);
  await stack.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
