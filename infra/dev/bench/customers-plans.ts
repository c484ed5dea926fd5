// The plans bench:customers writes down are the plans the service runs: its pools plan
// every statement for all values at once (plan_cache_mode=force_generic_plan,
// infra/runtime/src/database.ts), which `EXPLAIN` of a statement with its values would
// not show (it plans for the values). So a statement is run on a connection set up
// as the pools are, with auto_explain reporting what was executed back as a notice.
import { Client } from 'pg';

/** A connection that answers each statement with its executed plan. */
export interface PlanReader {
  plan(sql: string, params: unknown[]): Promise<string>;
  end(): Promise<void>;
}

export async function planReader(url: string): Promise<PlanReader> {
  const client = new Client({
    connectionString: url,
    options: '-c plan_cache_mode=force_generic_plan',
  });
  await client.connect();
  for (const setting of [
    `LOAD 'auto_explain'`,
    'SET auto_explain.log_min_duration = 0',
    'SET auto_explain.log_analyze = on',
    'SET auto_explain.log_buffers = on',
    'SET auto_explain.log_timing = on',
    'SET auto_explain.log_level = notice',
  ]) {
    await client.query(setting);
  }
  let last = '';
  client.on('notice', (notice) => {
    last = notice.message ?? '';
  });
  return {
    async plan(sql, params) {
      last = '';
      await client.query(sql, params);
      // "duration: … plan:\nQuery Text: …\nQuery Parameters: …\n<the plan>"
      const lines = last.split('\n');
      const from = lines.findIndex((line) => !/^(duration|Query Text|Query Parameters)/.test(line));
      const text = lines.slice(from).join('\n');
      // The query text spans lines: keep from the plan's first node on.
      const node = text.search(/^(\S.*\(cost=|\S.*\(actual)/m);
      return (node >= 0 ? text.slice(node) : text).trimEnd();
    },
    end: () => client.end(),
  };
}

export interface Stats {
  n: number;
  p50: number;
  p95: number;
}

export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  const round = (n: number) => Math.round(n * 100) / 100;
  return { n: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)) };
}

/** Milliseconds of `runs` calls of `fn`, after `warm` calls not counted. */
export async function timeRuns(fn: () => Promise<unknown>, runs: number, warm = 2) {
  for (let i = 0; i < warm; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return stats(ms);
}
