// The whole stack for a benchmark, as `npm start` runs it (separate processes,
// embedded Postgres, kafka-lite) on free ports and a throw-away data folder, with a
// JWT secret of its own. Stopped with the bench whatever happens to it.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SUBGRAPH_NAMES, envPrefix, repoRoot } from '@customer-graph/runtime';
import { freePort } from '../src/ports';

export interface BenchStack {
  /** `<NAME>_PORT` of each process, the gateway's, Postgres's and the broker's. */
  ports: Record<string, string>;
  /** The gateway's origin, e.g. http://127.0.0.1:40123. */
  gateway: string;
  jwtSecret: string;
  /** The CONTEXT_SIGNING_SECRET the gateway signs subgraph calls with (bench:page's peers). */
  signingSecret: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the stack; resolves once it says it is up. It is killed after `deadlineMs`.
 * `env`: settings of the bench's own over `npm start`'s defaults (the environment's win).
 */
export async function startBenchStack(
  label: string,
  deadlineMs: number,
  env: Record<string, string> = {},
): Promise<BenchStack> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `cg-bench-${label}-`));
  // Run as root, embedded Postgres runs as a "postgres" user, which must reach it.
  chmodSync(dataDir, 0o755);
  const jwtSecret = randomBytes(32).toString('hex');
  const signingSecret = randomBytes(32).toString('hex');
  const ports: Record<string, string> = {};
  for (const name of ['POSTGRES', 'KAFKA', 'GATEWAY', ...SUBGRAPH_NAMES.map(envPrefix)]) {
    ports[`${name}_PORT`] = String(await freePort());
  }
  const stack = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'infra/dev/src/main.ts'],
    {
      cwd: repoRoot(),
      env: {
        ...env,
        ...process.env,
        ...ports,
        DATA_DIR: dataDir,
        JWT_SECRET: jwtSecret,
        CONTEXT_SIGNING_SECRET: signingSecret,
        LOG_LEVEL: 'warn',
        // Measured as production runs (docker-compose sets the same): graphql-js's
        // development checks alone took 6% of a subgraph's CPU (bench:page).
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const killTimer = setTimeout(() => stack.kill('SIGKILL'), deadlineMs);
  process.once('exit', () => stack.kill('SIGTERM'));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    stack.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Customer Graph is up')) resolve();
    });
    stack.once('exit', (code) => reject(new Error(`stack exited (${code}):\n${out}`)));
  });
  stack.stdout!.resume();
  return {
    ports,
    gateway: `http://127.0.0.1:${ports.GATEWAY_PORT}`,
    jwtSecret,
    signingSecret,
    process: stack,
    stop: async () => {
      const exited = new Promise((r) => stack.once('exit', r));
      stack.kill('SIGTERM');
      await exited;
      clearTimeout(killTimer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Writes a bench's figures to bench/results/<name>.json and says where. */
export function writeResults(name: string, report: unknown): void {
  const out = path.join(repoRoot(), 'bench/results', `${name}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  console.log(`results written to ${path.relative(repoRoot(), out)}`);
}
