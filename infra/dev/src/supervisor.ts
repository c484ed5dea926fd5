// Runs the stack's processes as children: one log stream with each line prefixed by
// its process name; an unexpected exit is reported and stops everything; a stop
// asks every child to drain (SIGTERM) and kills whatever is left after a deadline.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildSpec {
  name: string;
  /** A TypeScript entry point, run with tsx. */
  script: string;
  args?: string[];
  env: Record<string, string>;
}

export interface Supervisor {
  start(spec: ChildSpec): void;
  /** Resolves with the name and exit code of the first child to exit unexpectedly. */
  crashed: Promise<{ name: string; code: number | null; signal: string | null }>;
  /** Stops the named children (all when none are named). */
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
  const prefix = prefixer(14, write);
  let stopping = false;
  let reportCrash: (crash: { name: string; code: number | null; signal: string | null }) => void;
  const crashed = new Promise<{ name: string; code: number | null; signal: string | null }>(
    (resolve) => (reportCrash = resolve),
  );

  return {
    crashed,
    start(spec) {
      const child = spawn(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', spec.script, ...(spec.args ?? [])],
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
        if (!stopping) reportCrash({ name: spec.name, code, signal });
      });
    },
    async stop(deadlineMs, names) {
      stopping = true;
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
