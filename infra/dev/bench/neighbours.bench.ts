// npm run bench:neighbours — does one workspace's heaviest accepted load slow another
// workspace's simple query? (issue 9)
//
// Runs the real stack as `npm start` does (separate processes, embedded Postgres,
// kafka-lite) on free ports and a throw-away data folder. Workspace A has 20,000
// customers with phones, B has 50. B asks `customers(first: 5){ edges { node { id
// name } } }` back to back through the gateway, first alone (quiet), then while A
// sends, without pause, from one client: 20 aliases of `customers(first: 5, filter:
// $fN) { totalCount }`, each filter a different 1,000 phone numbers (the budget's cap,
// within the gateway's cost budget), and from another client markCustomersByPhones
// with 100,000 numbers. A refused client waits the retryAfterMs it is given, as a
// well-behaved one does (BENCH_IGNORE_RETRY=1 hammers instead, BENCH_HEAVY_CLIENTS=2
// sends more than the workspace's queue takes). Figures go to bench/results/neighbours.json.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Client } from 'pg';
import { signDevToken } from '@customer-graph/gateway';
import { startBenchStack, writeResults } from './bench-stack';
import { postgresUrl } from '../src/postgres';

const QUIET_S = Number(process.env.BENCH_QUIET_S ?? 10);
const NOISY_S = Number(process.env.BENCH_NOISY_S ?? 25);
const A_CUSTOMERS = 20_000;
const ALIASES = 20;
const FILTER_VALUES = 1_000;
/** One: a second client's 20 aliases would be past the workspace's 2 running + 20 waiting. */
const HEAVY_CLIENTS = Number(process.env.BENCH_HEAVY_CLIENTS ?? 1);
/** A refused client waits the retryAfterMs it was given (BENCH_IGNORE_RETRY=1: hammers). */
const HONOUR_RETRY = process.env.BENCH_IGNORE_RETRY !== '1';
const PHONE_LIST = 100_000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
};

const mobile = (i: number) => `09${String(i).padStart(8, '0')}`;

async function main(): Promise<void> {
  const stack = await startBenchStack('neighbours', 240_000);
  const { ports, jwtSecret } = stack;
  const gateway = `${stack.gateway}/graphql`;

  const suffix = randomBytes(3).toString('hex');
  const wsA = `noisy-${suffix}`;
  const wsB = `quiet-${suffix}`;
  const db = new Client({
    connectionString: postgresUrl(Number(ports.POSTGRES_PORT), 'cg_contacts'),
  });
  await db.connect();
  await db.query('INSERT INTO workspace (id) VALUES ($1), ($2)', [wsA, wsB]);
  for (const [ws, count, offset] of [
    [wsA, A_CUSTOMERS, 0],
    [wsB, 50, 50_000_000],
  ] as const) {
    await db.query(
      `INSERT INTO customer (workspace_id, name, name_search, created_at, updated_at)
       SELECT $1, 'Khách ' || i, 'khach ' || i, timestamptz '2025-01-01' + i * interval '1 second', now()
         FROM generate_series(1, $2::int) AS i`,
      [ws, count],
    );
    await db.query(
      `INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
       SELECT workspace_id, id, '09' || lpad((row_number() OVER (ORDER BY created_at) + $2::int)::text, 8, '0'),
              '+849' || lpad((row_number() OVER (ORDER BY created_at) + $2::int)::text, 8, '0'), 0
         FROM customer WHERE workspace_id = $1`,
      [ws, offset],
    );
  }
  await db.query('ANALYZE customer; ANALYZE customer_phone');
  await db.end();

  const tokenA = await signDevToken({ workspaceId: wsA, userId: 'a', role: 'admin' }, jwtSecret);
  const tokenB = await signDevToken({ workspaceId: wsB, userId: 'b', role: 'admin' }, jwtSecret);
  const post = async (token: string, query: string, variables?: object) => {
    const started = performance.now();
    const res = await fetch(gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as {
      data?: unknown;
      errors?: { extensions?: { code?: string } }[];
    };
    return { ms: performance.now() - started, body };
  };

  const SIMPLE = '{ customers(first: 5) { edges { node { id name } } } }';
  const measureB = async (seconds: number) => {
    const times: number[] = [];
    const until = Date.now() + seconds * 1000;
    while (Date.now() < until) {
      const { ms, body } = await post(tokenB, SIMPLE);
      if (body.errors) throw new Error(`B failed: ${JSON.stringify(body.errors)}`);
      times.push(ms);
    }
    return times;
  };

  // Warm up both paths once (query plans, JIT), then measure.
  await measureB(2);
  const quiet = await measureB(QUIET_S);

  // A's heaviest accepted read: 20 aliases, each its own 1,000 numbers.
  const heavyQuery = `query(${Array.from({ length: ALIASES }, (_, i) => `$f${i}: CustomerFilter`).join(', ')}) { ${Array.from(
    { length: ALIASES },
    (_, i) => `a${i}: customers(first: 5, filter: $f${i}) { totalCount }`,
  ).join(' ')} }`;
  const heavyVariables = (round: number) =>
    Object.fromEntries(
      Array.from({ length: ALIASES }, (_, i) => {
        const from = ((round * ALIASES + i) * FILTER_VALUES) % (A_CUSTOMERS * 4);
        const phones = Array.from({ length: FILTER_VALUES }, (_, k) => mobile(from + k + 1));
        return [`f${i}`, { phone: { in: phones } }];
      }),
    );
  const csv = ['SĐT', ...Array.from({ length: PHONE_LIST }, (_, i) => mobile(i + 1))].join('\n');
  const MARK =
    'mutation($csv: String) { markCustomersByPhones(group: PRIORITY, csv: $csv) { received matched } }';

  let noisy = true;
  const heavyTimes: number[] = [];
  const markTimes: number[] = [];
  const outcomes: Record<string, number> = {};
  const count = async (body: {
    errors?: { extensions?: { code?: string; retryAfterMs?: number } }[];
  }) => {
    const code = body.errors?.[0]?.extensions?.code ?? 'ok';
    outcomes[code] = (outcomes[code] ?? 0) + 1;
    const retryAfterMs = body.errors?.[0]?.extensions?.retryAfterMs;
    if (HONOUR_RETRY && retryAfterMs) await new Promise((r) => setTimeout(r, retryAfterMs));
  };
  const heavyClient = async (client: number) => {
    for (let round = client; noisy; round += HEAVY_CLIENTS) {
      const { ms, body } = await post(tokenA, heavyQuery, heavyVariables(round));
      heavyTimes.push(ms);
      await count(body);
    }
  };
  const markClient = async () => {
    while (noisy) {
      const { ms, body } = await post(tokenA, MARK, { csv });
      markTimes.push(ms);
      await count(body);
    }
  };
  const load = [...Array.from({ length: HEAVY_CLIENTS }, (_, i) => heavyClient(i)), markClient()];
  // Let A's load get going before B measures.
  await new Promise((r) => setTimeout(r, 1000));
  const cpuBefore = os.cpus().map((c) => c.times);
  const noisyTimes = await measureB(NOISY_S);
  const cpuAfter = os.cpus().map((c) => c.times);
  noisy = false;
  await Promise.all(load);

  const busy = cpuAfter.map((after, i) => {
    const before = cpuBefore[i];
    const total = (t: typeof after) => t.user + t.nice + t.sys + t.idle + t.irq;
    return Math.round(
      (100 * (total(after) - total(before) - (after.idle - before.idle))) /
        (total(after) - total(before)),
    );
  });
  const quietStats = stats(quiet);
  const noisyStats = stats(noisyTimes);
  const report = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      node: process.version,
      loadAverage1m: os.loadavg()[0],
      busyPercentPerCpuWhileNoisy: busy,
      note: 'the cores are shared with other work on this machine',
    },
    setup: {
      quietSeconds: QUIET_S,
      noisySeconds: NOISY_S,
      workspaceA: `${A_CUSTOMERS} customers with a phone each`,
      workspaceB: '50 customers',
      bQuery: SIMPLE,
      aRead: `${HEAVY_CLIENTS} clients back to back: ${ALIASES} aliases of customers(first: 5, filter: $fN) { totalCount }, each filter { phone: { in: [${FILTER_VALUES} numbers] } }`,
      aWrite: `1 client back to back: markCustomersByPhones(csv: ${PHONE_LIST} numbers)`,
      aHonoursRetryAfter: HONOUR_RETRY,
    },
    bQuietMs: quietStats,
    bNoisyMs: noisyStats,
    p99Ratio: Math.round((noisyStats.p99 / quietStats.p99) * 100) / 100,
    p50Ratio: Math.round((noisyStats.p50 / quietStats.p50) * 100) / 100,
    aReadMs: stats(heavyTimes),
    aMarkMs: stats(markTimes),
    aOutcomes: outcomes,
  };
  console.log(JSON.stringify(report, null, 2));
  writeResults('neighbours', report);
  await stack.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
