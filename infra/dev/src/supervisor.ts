// Runs the stack's processes as children: one log stream with each line prefixed by
// its process name. A child with a restart policy that exits unexpectedly is started
// again after a backoff that doubles with each quick crash (one within
// `resetAfterMs` of its start) and starts over once it has stayed up that long; after
// `maxQuickCrashes` in a row the supervisor gives up and reports it, as it reports
// at once a child without a policy. A stop cancels pending restarts, asks every child
// to drain (SIGTERM) and kills whatever is left after a deadline.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildSpec {
  name: string;
  /** A TypeScript entry point, run with tsx. */
  script: string;
  args?: string[];
  /** Node's own flags (e.g. --max-old-space-size), before the script. */
  nodeArgs?: string[];
  env: Record<string, string>;
  /** Restart it when it exits unexpectedly; without one, its exit is reported at once. */
  restart?: RestartPolicy;
}

export interface RestartPolicy {
  /** The wait before the first restart; doubled for each further quick crash. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A crash this long after the start is not quick: the backoff and the count start over. */
  resetAfterMs: number;
  /** The quick crashes in a row at which the supervisor gives up on the child. */
  maxQuickCrashes: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 10_000,
  resetAfterMs: 30_000,
  maxQuickCrashes: 5,
};

export interface Crash {
  name: string;
  code: number | null;
  signal: string | null;
  /** Quick crashes in a row, this one included (1 for a child without a restart policy). */
  crashes: number;
}

export interface Supervisor {
  start(spec: ChildSpec): void;
  /** Resolves with the first child that exits unexpectedly and is not (or no longer) restarted. */
  crashed: Promise<Crash>;
  /** Stops the named children (all when none are named); no child is restarted after. */
  stop(deadlineMs: number, names?: string[]): Promise<void>;
}

export function prefixer(width: number, write: (line: string) => void) {
  return (name: string) => (line: string) => write(`${name.padEnd(width)} | ${line}`);
}

export function createSupervisor(
  cwd: string,
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
): Supervisor {
  const children = new Map<string, ChildProcess>();
  const restarts = new Map<string, NodeJS.Timeout>();
  const quickCrashes = new Map<string, number>();
  const prefix = prefixer(14, write);
  const notice = prefix('dev');
  let stopping = false;
  let reportCrash: (crash: Crash) => void;
  const crashed = new Promise<Crash>((resolve) => (reportCrash = resolve));

  const onExit = (
    spec: ChildSpec,
    startedAt: number,
    code: number | null,
    signal: string | null,
  ) => {
    const policy = spec.restart;
    if (!policy) return reportCrash({ name: spec.name, code, signal, crashes: 1 });
    const upMs = Date.now() - startedAt;
    const crashes = upMs >= policy.resetAfterMs ? 1 : (quickCrashes.get(spec.name) ?? 0) + 1;
    quickCrashes.set(spec.name, crashes);
    const how = `${signal ?? `code ${code}`} after ${(upMs / 1000).toFixed(1)} s`;
    if (crashes >= policy.maxQuickCrashes) {
      return reportCrash({ name: spec.name, code, signal, crashes });
    }
    const delay = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (crashes - 1));
    notice(
      `${spec.name} exited unexpectedly (${how}); restarting in ${delay / 1000} s ` +
        `(quick crash ${crashes} of ${policy.maxQuickCrashes})`,
    );
    restarts.set(
      spec.name,
      setTimeout(() => {
        restarts.delete(spec.name);
        if (!stopping) start(spec);
      }, delay),
    );
  };

  const start = (spec: ChildSpec) => {
    const startedAt = Date.now();
    const child = spawn(
      process.execPath,
      [
        ...(spec.nodeArgs ?? []),
        '--conditions=source',
        '--import',
        'tsx',
        spec.script,
        ...(spec.args ?? []),
      ],
      {
        cwd,
        env: { ...process.env, ...spec.env },
        // Own process group: a terminal's Ctrl-C reaches the supervisor, which
        // then stops the children in order (Postgres last).
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.set(spec.name, child);
    const log = prefix(spec.name);
    createInterface({ input: child.stdout! }).on('line', log);
    createInterface({ input: child.stderr! }).on('line', log);
    child.on('close', (code, signal) => {
      children.delete(spec.name);
      if (!stopping) onExit(spec, startedAt, code, signal);
    });
  };

  return {
    crashed,
    start,
    async stop(deadlineMs, names) {
      stopping = true;
      for (const timer of restarts.values()) clearTimeout(timer);
      restarts.clear();
      const targets = [...children].filter(([name]) => !names || names.includes(name));
      const exits = targets.map(
        ([, child]) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('close', () => resolve());
            child.kill('SIGTERM');
          }),
      );
      const timer = setTimeout(() => {
        for (const [, child] of targets) child.kill('SIGKILL');
      }, deadlineMs);
      await Promise.all(exits);
      clearTimeout(timer);
    },
  };
}

/** Polls a URL until it answers 2xx, or rejects after timeoutMs naming what waited. */
export async function waitUntilReady(name: string, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // Not listening yet: keep polling until the deadline.
    }
    if (Date.now() > deadline) throw new Error(`${name} was not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
