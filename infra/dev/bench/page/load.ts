// Runs bench:page's load client (load.main.ts) in a child process and returns what it
// measured, with its pid known while it runs (to leave its CPU out of the stack's).
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface LoadRequest {
  token: string;
  body: { query: string; variables?: Record<string, unknown>; operationName?: string };
}

export interface LoadPlan {
  url: string;
  connections: number;
  durationMs: number;
  /** Connection c sends requests c, c + connections, c + 2·connections … (cycling). */
  requests: LoadRequest[];
}

export interface LoadResult {
  requests: number;
  errors: number;
  firstError?: string;
  seconds: number;
  perSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  clientCpuMsPerRequest: number;
}

export function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', path.join(__dirname, 'load.main.ts')],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  child.stdin.end(JSON.stringify(plan));
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out) as LoadResult);
      else reject(new Error(`the load client exited with ${code}`));
    });
  });
}
