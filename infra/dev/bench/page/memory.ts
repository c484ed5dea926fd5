// Memory of the stack's processes, by kind (process-cpu.ts's labels): each process's
// proportional set size (Pss, /proc/<pid>/smaps_rollup), which shares out pages that
// processes hold together (Postgres's shared buffers among its backends) instead of
// counting them once per process as RSS does. Linux only; elsewhere, nothing.
import { readFileSync } from 'node:fs';
import { label, processesUnder } from '../process-cpu';

function pssKb(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
  } catch {
    return 0; // gone meanwhile, or not ours to read
  }
}

/** MB of memory per kind of process under any of `roots` (themselves included). */
export function sampleMemory(roots: number[]): Record<string, number> {
  const kb: Record<string, number> = {};
  for (const [pid, p] of processesUnder(roots) ?? []) {
    const name = label(p.cmdline);
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
