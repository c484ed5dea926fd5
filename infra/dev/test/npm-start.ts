// `npm start` (infra/dev/src/main.ts) as a user runs it, for the e2e tests: a child
// process on free ports and its own data folder, its output collected.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { repoRoot } from '@customer-graph/runtime';
import { freePort } from '../src/ports';

export interface Run {
  child: ChildProcess;
  output: () => string;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  exit: Promise<{ code: number | null; ms: number }>;
}

/** Starts `npm start` (with `args`, e.g. `--only orders-loyalty`) in `env`. */
export function startStack(env: Record<string, string>, args: string[] = []): Run {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'infra/dev/src/main.ts', ...args],
    { cwd: repoRoot(), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let signalledAt = 0;
  const exit = new Promise<{ code: number | null; ms: number }>((resolve) =>
    child.on('exit', (code) => resolve({ code, ms: signalledAt ? Date.now() - signalledAt : 0 })),
  );
  const kill = child.kill.bind(child);
  child.kill = (signal?: NodeJS.Signals | number) => {
    signalledAt = Date.now();
    return kill(signal);
  };
  return {
    child,
    output: () => text,
    exit,
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(text);
          if (match) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output:\n${text}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
  };
}

/** DATA_DIR and a free port of each process's, so no two stacks collide. */
export async function stackEnv(dataDir: string): Promise<Record<string, string>> {
  const env: Record<string, string> = { DATA_DIR: dataDir };
  // Every port its own, the broker's included, so no two stacks of this file collide.
  for (const name of [
    'POSTGRES',
    'KAFKA',
    'GATEWAY',
    'CONTACTS',
    'FOLLOWERS',
    'ORDERS_LOYALTY',
    'MARKETING',
  ]) {
    env[`${name}_PORT`] = String(await freePort());
  }
  return env;
}
