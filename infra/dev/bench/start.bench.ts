// npm run bench:start — `npm start` to the first answer (issue 16, part 5): the time from
// running `npm start` to the gateway answering a GraphQL query with a signed token, on a
// fresh data folder (a first start: initdb, migrations, the demo workspace) and again on
// the same folder (a restart); each process's memory (Pss) once idle; and how long a
// SIGTERM takes to stop everything. BENCH_START_ROUNDS rounds (3). Figures go to
// bench/results/start.json.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signDevToken } from '@customer-graph/gateway';
import { DEMO_WORKSPACE_ID, SUBGRAPH_NAMES, envPrefix, repoRoot } from '@customer-graph/runtime';
import { freePort } from '../src/ports';
import { writeResults } from './bench-stack';
import { sampleMemory } from './page/memory';
import { cpuPer, sampleCpu } from './process-cpu';

const ROUNDS = Number(process.env.BENCH_START_ROUNDS ?? 3);
const IDLE_MS = 5_000;
const QUERY = '{ customers(first: 1) { totalCount } }';

interface Start {
  firstAnswerMs: number;
  /** CPU ms the stack's processes spent until the first answer, by kind: what a busy
   * machine's wall time hides. */
  cpuMsToFirstAnswer: Record<string, number> | null;
  /** When the supervisor printed that the stack is up. */
  upMs: number;
  idleMemoryMb: Record<string, number>;
  stopMs: number;
}

async function answers(url: string, token: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: QUERY }),
    });
    const body = (await res.json()) as { data?: { customers?: unknown }; errors?: unknown };
    return res.ok && !body.errors && body.data?.customers !== undefined;
  } catch {
    return false; // not listening yet
  }
}

async function startOnce(dataDir: string, ports: Record<string, string>): Promise<Start> {
  const jwtSecret = randomBytes(32).toString('hex');
  const token = await signDevToken(
    { workspaceId: DEMO_WORKSPACE_ID, userId: 'bench', role: 'admin' },
    jwtSecret,
  );
  const url = `http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`;
  const started = Date.now();
  // `npm start` itself, as a user types it.
  const stack = spawn('npm', ['start'], {
    cwd: repoRoot(),
    env: { ...process.env, ...ports, DATA_DIR: dataDir, JWT_SECRET: jwtSecret, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let upMs = 0;
  let out = '';
  stack.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (!upMs && out.includes('Customer Graph is up')) upMs = Date.now() - started;
  });
  const exited = new Promise<void>((resolve) => stack.once('exit', () => resolve()));
  let firstAnswerMs = 0;
  while (!firstAnswerMs) {
    if (stack.exitCode !== null) throw new Error(`npm start exited (${stack.exitCode}):\n${out}`);
    if (Date.now() - started > 120_000) throw new Error(`no answer in 120 s:\n${out}`);
    if (await answers(url, token)) firstAnswerMs = Date.now() - started;
    else await new Promise((r) => setTimeout(r, 25));
  }
  const cpuMsToFirstAnswer = cpuPer({ ms: new Map() }, sampleCpu(stack.pid!), 1);
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const idleMemoryMb = sampleMemory([stack.pid!]);
  const stopping = Date.now();
  stack.kill('SIGTERM');
  await exited;
  return { firstAnswerMs, cpuMsToFirstAnswer, upMs, idleMemoryMb, stopMs: Date.now() - stopping };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const runs: { round: number; kind: 'first start' | 'restart'; start: Start }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cg-bench-start-'));
    chmodSync(dataDir, 0o755); // embedded Postgres runs as "postgres" when we are root
    try {
      const ports: Record<string, string> = {};
      for (const name of ['POSTGRES', 'KAFKA', 'GATEWAY', ...SUBGRAPH_NAMES.map(envPrefix)]) {
        ports[`${name}_PORT`] = String(await freePort());
      }
      for (const kind of ['first start', 'restart'] as const) {
        const start = await startOnce(dataDir, ports);
        runs.push({ round, kind, start });
        console.log(
          `round ${round + 1}, ${kind}: first answer ${start.firstAnswerMs} ms (up ${start.upMs} ms, ` +
            `CPU ${start.cpuMsToFirstAnswer?.total} ms), ` +
            `idle ${start.idleMemoryMb.total} MB, stopped in ${start.stopMs} ms`,
        );
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const summary = Object.fromEntries(
    (['first start', 'restart'] as const).map((kind) => {
      const mine = runs.filter((r) => r.kind === kind).map((r) => r.start);
      return [
        kind,
        {
          firstAnswerMs: median(mine.map((s) => s.firstAnswerMs)),
          upMs: median(mine.map((s) => s.upMs)),
          cpuMsToFirstAnswer: median(mine.map((s) => s.cpuMsToFirstAnswer?.total ?? 0)),
          stopMs: median(mine.map((s) => s.stopMs)),
          idleMemoryMbTotal: median(mine.map((s) => s.idleMemoryMb.total)),
          rounds: mine.map((s) => s.firstAnswerMs),
        },
      ];
    }),
  );
  writeResults('start', {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, loadAverage1m: os.loadavg()[0] },
    goal: 'npm start to first answer ≤ 10 s after install',
    query: QUERY,
    summary,
    runs,
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
