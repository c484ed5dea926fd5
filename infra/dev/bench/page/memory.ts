// Memory of the stack's processes, by kind (process-cpu.ts's labels): each process's
// proportional set size (Pss, /proc/<pid>/smaps_rollup), which shares out pages that
// processes hold together (Postgres's shared buffers among its backends) instead of
// counting them once per process as RSS does. Linux only; elsewhere, nothing.
import { readFileSync, readdirSync } from 'node:fs';
import { label } from '../process-cpu';

function pssKb(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
  } catch {
    return 0; // gone meanwhile, or not ours to read
  }
}

function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/** MB of memory per kind of process under any of `roots` (themselves included). */
export function sampleMemory(roots: number[]): Record<string, number> {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return {};
  }
  const parents = new Map(pids.map((pid) => [pid, parentOf(pid)]));
  const rootSet = new Set(roots);
  const inTree = (pid: number) => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; hops++) {
      if (rootSet.has(p)) return true;
      p = parents.get(p) ?? 0;
    }
    return false;
  };
  const kb: Record<string, number> = {};
  for (const pid of pids) {
    if (!inTree(pid)) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    const name = label(cmdline);
    kb[name] = (kb[name] ?? 0) + pssKb(pid);
  }
  const mb: Record<string, number> = {};
  let total = 0;
  for (const [name, k] of Object.entries(kb)) {
    mb[name] = Math.round(k / 1024);
    total += k;
  }
  return { ...mb, total: Math.round(total / 1024) };
}

/** Samples every `everyMs` until stopped; returns each kind's peak (and the total's). */
export function watchMemory(roots: number[], everyMs = 500) {
  const peak: Record<string, number> = {};
  const take = () => {
    for (const [name, mb] of Object.entries(sampleMemory(roots))) {
      peak[name] = Math.max(peak[name] ?? 0, mb);
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop(): Record<string, number> {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}
