// npm run bench:events — lag from a Zalo webhook accepted (200 at the gateway) to the
// follower's customer linked and visible through the gateway, at steady rates, and the
// stack's CPU per webhook.
//
// Runs the real stack as `npm start` does (separate processes, embedded Postgres,
// kafka-lite) on free ports and a throw-away data folder. For each rate: a lag phase
// (signed webhooks for DURATION_S seconds, sampled ones watched through the gateway:
// events-drive.ts), then a CPU phase (the same load unwatched, CPU per process from
// /proc: events-cpu.ts). The per-hop breakdown comes from the services' outbox and
// inbox timestamps (stages.ts) and, finer, from the relays' and consumers' own trace
// of each event (events-trace.ts; BENCH_TRACE=0 turns it off). Figures go to
// bench/results/events.json.
//
// Env: BENCH_RATES (20,200), BENCH_DURATION_S (10), BENCH_CPU_RATES (the rates whose
// CPU is measured; default all), BENCH_SAMPLES_PER_SECOND (25).
//
// `npm run bench:events -- --scale` runs the scale-out instead (events-scale.ts): more
// partitions and more processes per consumer group at 500 and 1,000 webhooks/s; its
// figures go to the same file's `scaleOut` (each part keeps the other's last figures).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '@customer-graph/runtime';
import { startBenchStack, writeResults } from './bench-stack';
import { stageLatencies } from './stages';
import { traceBreakdown } from './events-trace';
import { POLL_MS, SAMPLES_PER_SECOND, benchWorkspace, drive } from './events-drive';
import { cpuPhase } from './events-cpu';
import { scaleOut } from './events-scale';

const RATES = (process.env.BENCH_RATES ?? '20,200').split(',').map(Number);
const CPU_RATES = (process.env.BENCH_CPU_RATES ?? RATES.join(',')).split(',').map(Number);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const TRACE = process.env.BENCH_TRACE !== '0';
const WARMUP_RATE = 100;
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 8);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `work` with the relays' and consumers' trace paused (its cost is not the stack's). */
async function untraced<T>(traceDir: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!traceDir) return work();
  const paused = path.join(traceDir, 'paused');
  writeFileSync(paused, '');
  await new Promise((r) => setTimeout(r, 500)); // every process has seen it
  try {
    return await work();
  } finally {
    rmSync(paused);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The last results, so that one part of the bench (rates, or --scale) keeps the other's. */
function lastResults(): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path.join(repoRoot(), 'bench/results/events.json'), 'utf8'));
  } catch {
    return {};
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--scale')) {
    const scale = await scaleOut();
    writeResults('events', {
      ...lastResults(),
      scaleOut: { date: new Date().toISOString(), loadAverage1m: os.loadavg()[0], ...scale },
    });
    return;
  }
  // Every process of the stack inherits it (bench-stack passes the environment on).
  const traceDir = TRACE ? mkdtempSync(path.join(os.tmpdir(), 'cg-events-trace-')) : undefined;
  if (traceDir) process.env.CG_EVENTS_TRACE = traceDir;
  const stack = await startBenchStack('events', 300_000);
  const { ports, jwtSecret, gateway } = stack;
  const postgresPort = Number(ports.POSTGRES_PORT);

  // A fresh stack runs cold (code not yet optimised, pools empty, topics and group
  // assignments still being made): a warm-up at the middle of the rates, not recorded.
  const warmup = await benchWorkspace(gateway, jwtSecret, 'warmup');
  await drive(gateway, warmup, WARMUP_RATE, WARMUP_S, true);

  const results = [];
  for (const rate of RATES) {
    const ws = await benchWorkspace(gateway, jwtSecret, String(rate));
    const driven = await drive(gateway, ws, rate, DURATION_S, true);
    const lags = [...driven.watched.values()]
      .map((w) => w.seenAt - w.acceptedAt)
      .sort((a, b) => a - b);
    const result = {
      targetRatePerSecond: rate,
      achievedRatePerSecond: driven.achievedRatePerSecond,
      sent: driven.sent,
      refused: driven.refused,
      sampled: lags.length + driven.notLinkedWithin60s,
      sampledLinked: lags.length,
      notLinkedWithin60s: driven.notLinkedWithin60s,
      lagMs: { p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags[lags.length - 1] },
      stagesMs: await stageLatencies(postgresPort, ws.workspaceId),
      traceMs: traceDir
        ? await traceBreakdown(postgresPort, ws.workspaceId, traceDir, driven.watched)
        : undefined,
      cpu: CPU_RATES.includes(rate)
        ? await untraced(traceDir, async () =>
            cpuPhase(
              stack,
              await benchWorkspace(gateway, jwtSecret, `cpu-${rate}`),
              rate,
              DURATION_S,
            ),
          )
        : undefined,
    };
    console.log(JSON.stringify(result, null, 1));
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
      cpu: 'the same load unwatched, from the first webhook to the last one linked; /proc per process',
      processes: 'npm start stack: gateway, 4 subgraphs, kafka-lite, embedded Postgres',
    },
    results,
  };
  writeResults('events', { ...report, scaleOut: lastResults().scaleOut });
  await stack.stop();
  if (traceDir && process.env.BENCH_KEEP_TRACE) console.log(`traces kept in ${traceDir}`);
  else if (traceDir) rmSync(traceDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
