// Where the events pipeline's CPU goes, for whoever tunes it (not part of bench:events):
// the stack, warmed up, takes RATE webhooks a second for SECONDS unwatched, and we
// print each database's costliest statements (pg_stat_statements) and the CPU per
// webhook per process. With PROFILE_DIR set, every Node process of the stack writes a
// V8 CPU profile of that phase there (cpu-profile.cjs), to open in Chrome's DevTools or
// speedscope.
//   node --conditions=source --import tsx infra/dev/bench/events-profile.ts
// Env: RATE (200), SECONDS (10), PROFILE_DIR.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { repoRoot } from '@customer-graph/runtime';
import { postgresUrl } from '../src/postgres';
import { startBenchStack } from './bench-stack';
import { benchWorkspace, drive } from './events-drive';
import { cpuPhase } from './events-cpu';
import { resetStatements, topStatements } from './statements';

const RATE = Number(process.env.RATE ?? 200);
const SECONDS = Number(process.env.SECONDS ?? 10);
const DATABASES = ['cg_followers', 'cg_contacts', 'cg_orders_loyalty', 'cg_marketing'];

/** The Node processes under `root`, itself included. */
function nodeProcesses(root: number): number[] {
  const parent = new Map<number, number>();
  const isNode = new Set<number>();
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('node')) isNode.add(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  const under = (pid: number): boolean =>
    pid === root || (pid > 1 && parent.has(pid) && under(parent.get(pid)!));
  return [...isNode].filter(under);
}

async function main(): Promise<void> {
  const profileDir = process.env.PROFILE_DIR;
  if (profileDir) {
    process.env.NODE_OPTIONS = `--require ${path.join(repoRoot(), 'infra/dev/bench/cpu-profile.cjs')}`;
    process.env.CG_CPU_PROFILE_DIR = path.resolve(profileDir);
  }
  const stack = await startBenchStack('events-profile', 300_000);
  delete process.env.NODE_OPTIONS;
  delete process.env.CG_CPU_PROFILE_DIR;
  const { gateway, jwtSecret, ports } = stack;
  // What the stack prints while loaded (the supervisor relays every child's lines).
  const printed = new Map<string, { lines: number; first: string }>();
  let counting = false;
  stack.process.stdout!.on('data', (chunk: Buffer) => {
    if (!counting) return;
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      const who = line.slice(0, 14).trim();
      const seen = printed.get(who) ?? { lines: 0, first: line.slice(0, 200) };
      seen.lines++;
      printed.set(who, seen);
    }
  });
  await drive(gateway, await benchWorkspace(gateway, jwtSecret, 'warmup'), 100, 8, true);
  const clients = await Promise.all(
    DATABASES.map(async (name) => {
      const c = new Client({ connectionString: postgresUrl(Number(ports.POSTGRES_PORT), name) });
      await c.connect();
      await resetStatements(c);
      return c;
    }),
  );
  const ws = await benchWorkspace(gateway, jwtSecret, 'profile');
  const signal = () => {
    if (profileDir)
      for (const pid of nodeProcesses(stack.process.pid!)) process.kill(pid, 'SIGUSR2');
  };
  counting = true;
  const cpu = await cpuPhase(stack, ws, RATE, SECONDS, { start: signal, end: signal });
  counting = false;
  console.log('printed by the stack during the phase:', Object.fromEntries(printed));
  if (profileDir) await new Promise((r) => setTimeout(r, 3000));
  console.log(JSON.stringify(cpu, null, 1));
  for (const [i, c] of clients.entries()) {
    const { rows } = await c.query(
      `SELECT sum(s.calls)::int AS calls, round(sum(s.total_exec_time))::int AS ms
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname = current_database() AND s.query NOT LIKE '%pg_stat_statements%'`,
    );
    console.log(
      `\n${DATABASES[i]}: ${(rows[0].calls / cpu.webhooks).toFixed(2)} statements and ` +
        `${(rows[0].ms / cpu.webhooks).toFixed(2)} ms of execution per webhook`,
    );
    for (const s of await topStatements(c, 12)) {
      console.log(
        `${String(s.totalMs).padStart(6)} ms ${String(s.calls).padStart(6)} calls ${String(s.meanMs).padStart(6)} ms  ${s.query}`,
      );
    }
    // The relay's read, as it runs right after the load (dead index entries included).
    const plan = await c.query(
      `EXPLAIN (ANALYZE, BUFFERS) SELECT seq, topic, key, value::text AS value FROM outbox
        WHERE sent_at IS NULL ORDER BY seq LIMIT 500`,
    );
    console.log(plan.rows.map((r: Record<string, string>) => `    ${r['QUERY PLAN']}`).join('\n'));
    await c.end();
  }
  await stack.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
