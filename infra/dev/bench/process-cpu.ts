// Where a benchmark's CPU goes: the CPU time of every process of the stack (the
// supervisor's tree: gateway, each subgraph, kafka-lite, Postgres and its backends),
// read from /proc before and after a phase, grouped by what each process is. Linux
// only; elsewhere the figures are left out.
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Sample {
  /** CPU ms per group of processes. */
  ms: Map<string, number>;
}

export function label(cmdline: string): string {
  // bench:page's peers and load client (infra/dev/bench/page/), before the services:
  // their command lines name no service folder.
  if (cmdline.includes('bench/page/hive')) return 'hive-gateway';
  if (cmdline.includes('bench/page/baseline')) return 'baseline';
  if (cmdline.includes('bench/page/load')) return 'load-client';
  const service = /services\/([a-z-]+)\//.exec(cmdline);
  if (service) return service[1];
  if (cmdline.includes('gateway/')) return 'gateway';
  if (cmdline.includes('kafka-lite')) return 'kafka-lite';
  if (cmdline.includes('postgres')) return 'postgres';
  return 'supervisor';
}

function read(pid: number): { ppid: number; ticks: number; cmdline: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: fields start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    // state ppid … utime (14th field of stat, 12th after the name), stime, and cutime,
    // cstime: the CPU of its children that have exited. A Postgres backend that ends
    // (a pool closing an idle connection) leaves its CPU to the postmaster's cutime;
    // without it the phase's Postgres figure shrank, even below zero.
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return { ppid: Number(fields[1]), ticks, cmdline };
  } catch {
    return null; // gone meanwhile
  }
}

/**
 * The processes under any of `roots` (themselves included), by pid, each with its
 * parent, CPU ticks and command line; null where /proc cannot be read.
 */
export function processesUnder(
  root: number | number[],
): Map<number, { ppid: number; ticks: number; cmdline: string }> | null {
  const roots = new Set(Array.isArray(root) ? root : [root]);
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return null;
  }
  const procs = new Map(
    pids.flatMap((pid) => {
      const p = read(pid);
      return p ? [[pid, p] as const] : [];
    }),
  );
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; hops++) {
      if (roots.has(p)) return true;
      p = procs.get(p)?.ppid ?? 0;
    }
    return false;
  };
  return new Map([...procs].filter(([pid]) => inTree(pid)));
}

/** The CPU ms so far of each kind of process under `root` (or any of the roots, themselves included). */
export function sampleCpu(root: number | number[]): Sample | null {
  const procs = processesUnder(root);
  if (!procs) return null;
  const ms = new Map<string, number>();
  for (const p of procs.values()) {
    const name = label(p.cmdline);
    ms.set(name, (ms.get(name) ?? 0) + (p.ticks * 1000) / TICKS_PER_SECOND);
  }
  return { ms };
}

/** CPU ms per unit of work of each kind of process between two samples, and in all. */
export function cpuPer(before: Sample | null, after: Sample | null, units: number) {
  if (!before || !after) return null;
  const per: Record<string, number> = {};
  let total = 0;
  for (const [name, ms] of after.ms) {
    const spent = ms - (before.ms.get(name) ?? 0);
    if (spent <= 0) continue;
    per[name] = Math.round((spent / units) * 100) / 100;
    total += spent;
  }
  return { ...per, total: Math.round((total / units) * 100) / 100 };
}
