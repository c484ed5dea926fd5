// The supervisor with real child processes: a script that exits is started again
// after a backoff that grows, the supervisor gives up after enough quick crashes,
// a child that stayed up a while starts the count over, and a stop during a backoff
// starts nothing more.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '@customer-graph/runtime';
import { createSupervisor } from './supervisor';
import type { RestartPolicy } from './supervisor';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cg-supervisor-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A script that appends its start time to `starts` and exits with code 3 after `upMs`. */
function exitingScript(name: string, upMs: number): { script: string; starts: () => number[] } {
  const starts = path.join(dir, `${name}.starts`);
  writeFileSync(starts, '');
  const script = path.join(dir, `${name}.mjs`);
  writeFileSync(
    script,
    `import { appendFileSync } from 'node:fs';
     appendFileSync(${JSON.stringify(starts)}, Date.now() + '\\n');
     setTimeout(() => process.exit(3), ${upMs});`,
  );
  return {
    script,
    starts: () => readFileSync(starts, 'utf8').split('\n').filter(Boolean).map(Number),
  };
}

function collect() {
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  return {
    lines,
    write: (line: string) => {
      lines.push(line);
      for (const w of waiters) w();
    },
    waitFor: (pattern: RegExp) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (lines.some((l) => pattern.test(l))) {
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
        check();
      }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('restarts a crashing child with a growing backoff, then gives up', async () => {
  const policy: RestartPolicy = {
    initialDelayMs: 200,
    maxDelayMs: 500,
    resetAfterMs: 60_000,
    maxQuickCrashes: 5,
  };
  const child = exitingScript('crasher', 0);
  const out = collect();
  const supervisor = createSupervisor(repoRoot(), out.write);
  supervisor.start({ name: 'crasher', script: child.script, env: {}, restart: policy });

  const crash = await supervisor.crashed;
  expect(crash).toEqual({ name: 'crasher', code: 3, signal: null, crashes: 5 });
  const notices = out.lines.filter((l) => l.startsWith('dev'));
  // 200, 400, then capped at 500 ms.
  expect(notices.map((l) => /restarting in ([\d.]+) s/.exec(l)?.[1])).toEqual([
    '0.2',
    '0.4',
    '0.5',
    '0.5',
  ]);
  expect(notices[0]).toMatch(
    /crasher exited unexpectedly \(code 3 after [\d.]+ s\); restarting in 0.2 s \(quick crash 1 of 5\)/,
  );
  // Five starts, each at least its backoff after the one before (timers never fire early).
  const starts = child.starts();
  expect(starts).toHaveLength(5);
  [200, 400, 500, 500].forEach((delay, i) =>
    expect(starts[i + 1] - starts[i]).toBeGreaterThanOrEqual(delay),
  );
  await supervisor.stop(1000);
}, 30_000);

it('starts the count over for a child that stayed up past resetAfterMs', async () => {
  const child = exitingScript('steady', 400);
  const out = collect();
  const supervisor = createSupervisor(repoRoot(), out.write);
  let gaveUp = false;
  void supervisor.crashed.then(() => (gaveUp = true));
  supervisor.start({
    name: 'steady',
    script: child.script,
    env: {},
    restart: { initialDelayMs: 100, maxDelayMs: 1000, resetAfterMs: 300, maxQuickCrashes: 2 },
  });
  // Four exits: with two quick crashes it would have given up at the second.
  await out.waitFor(/steady exited.*restarting/);
  while (out.lines.filter((l) => /steady exited/.test(l)).length < 4) await sleep(50);
  await supervisor.stop(1000);
  const notices = out.lines.filter((l) => /steady exited/.test(l));
  for (const line of notices) expect(line).toMatch(/restarting in 0.1 s \(quick crash 1 of 2\)/);
  expect(gaveUp).toBe(false);
}, 30_000);

it('starts nothing more when stopped during a backoff', async () => {
  const child = exitingScript('waiting', 0);
  const out = collect();
  const supervisor = createSupervisor(repoRoot(), out.write);
  supervisor.start({
    name: 'waiting',
    script: child.script,
    env: {},
    restart: { initialDelayMs: 1500, maxDelayMs: 1500, resetAfterMs: 60_000, maxQuickCrashes: 5 },
  });
  await out.waitFor(/waiting exited unexpectedly .*restarting in 1.5 s/);
  await supervisor.stop(1000);
  // Well past the backoff: the pending restart was cancelled.
  await sleep(2000);
  expect(child.starts()).toHaveLength(1);
}, 30_000);
