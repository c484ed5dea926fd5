// npm run bench:page — the customer list and detail pages through our gateway, side by
// side with Hive Gateway (its defaults, and with merging of identical in-flight calls
// off) and with a single process serving the same pages with the same SQL and no
// federation (the floor of this design), in one run, alternating (issue 16).
//
// Runs the stack as `npm start` does (separate processes, embedded Postgres,
// kafka-lite), seeds it (page/page-seed.ts: 100,000 customers in one workspace and 50
// small ones, a million orders and messages, followers, every tab filled), then for
// each page × traffic shape (page/scenarios.ts) and each round, measures every server
// in turn with 32 connections: requests/s, p50/p95/p99, CPU ms per request of each
// process (from /proc), SQL statements per request (pg_stat_statements, less the
// background's rate measured idle), the load client's own CPU, and memory (Pss) idle
// and at peak. Also: statements per list page of 5, 20 and 50 rows. Figures go to
// bench/results/page.json and a chart to bench/results/page.svg.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { repoRoot } from '@customer-graph/runtime';
import { startBenchStack, writeResults } from './bench-stack';
import { cpuPer, sampleCpu } from './process-cpu';
import { postgresUrl } from '../src/postgres';
import { freePort } from '../src/ports';
import { chart } from './page/chart';
import { runLoad } from './page/load';
import type { LoadRequest, LoadResult } from './page/load';
import { sampleMemory, watchMemory } from './page/memory';
import { seedPageData } from './page/page-seed';
import { listRequest, scenarios } from './page/scenarios';
import type { Cursors } from './page/scenarios';
import { startHiveGateway } from './page/hive';
import { startBaseline } from './page/baseline';
import type { RunningPeer } from './page/hive';

const ROUNDS = Number(process.env.BENCH_PAGE_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_PAGE_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_PAGE_CONNECTIONS ?? 32);
const WARM_MS = 2_000;
/** Which servers and scenarios to measure (comma-separated; all by default), e.g.
 * BENCH_PAGE_SERVERS=ours BENCH_PAGE_SCENARIOS=list to profile our gateway alone. */
const SERVERS = process.env.BENCH_PAGE_SERVERS?.split(',').map((s) => s.trim());
const SCENARIOS = process.env.BENCH_PAGE_SCENARIOS?.split(',').map((s) => s.trim());
const SERVER_KEYS = ['ours', 'hive', 'hive-no-merge', 'baseline'] as const;
const DATABASES = ['cg_contacts', 'cg_followers', 'cg_orders_loyalty', 'cg_marketing'];

interface Target {
  name: string;
  url: string;
  /** The peer's process (ours runs inside the stack's tree). */
  peer?: RunningPeer;
}

async function post(url: string, request: LoadRequest) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${request.token}` },
    body: JSON.stringify(request.body),
  });
  return (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

/** Statements run so far in the stack's four databases (pg_stat_statements). */
async function statementCount(pg: Client): Promise<number> {
  const { rows } = await pg.query(
    `SELECT coalesce(sum(s.calls), 0)::bigint AS n FROM pg_stat_statements s
       JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = ANY($1)`,
    [DATABASES],
  );
  return Number(rows[0].n);
}

async function main(): Promise<void> {
  const started = Date.now();
  const stack = await startBenchStack('page', 4 * 3_600_000);
  const peers: RunningPeer[] = [];
  try {
    const pgPort = Number(stack.ports.POSTGRES_PORT);
    const pg = new Client({ connectionString: postgresUrl(pgPort, 'cg_contacts') });
    await pg.connect();
    await pg.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const seed = await seedPageData(pgPort);
    console.log(`seeded in ${seed.seconds} s`, seed.counts);
    const subgraphUrls = Object.fromEntries(
      ['contacts', 'followers', 'orders-loyalty', 'marketing'].map((name) => [
        name,
        `http://127.0.0.1:${stack.ports[`${name.toUpperCase().replace('-', '_')}_PORT`]}/graphql`,
      ]),
    );
    const peerOptions = {
      supergraphSdlPath: path.join(repoRoot(), 'schema/supergraph.graphql'),
      subgraphUrls,
      // The peers sign subgraph calls as our gateway does, with the stack's secret.
      signingSecret: stack.signingSecret,
      jwtSecret: stack.jwtSecret,
    };
    const wanted = (key: (typeof SERVER_KEYS)[number]) => !SERVERS || SERVERS.includes(key);
    const unknown = SERVERS?.filter((k) => !(SERVER_KEYS as readonly string[]).includes(k));
    if (unknown?.length) throw new Error(`BENCH_PAGE_SERVERS: unknown ${unknown.join(', ')}`);
    const targets: Target[] = [];
    if (wanted('ours')) targets.push({ name: 'our gateway', url: `${stack.gateway}/graphql` });
    for (const [key, name, dedupe] of [
      ['hive', 'Hive Gateway', true],
      ['hive-no-merge', 'Hive Gateway, no merging', false],
    ] as const) {
      if (!wanted(key)) continue;
      const peer = await startHiveGateway({ ...peerOptions, port: await freePort(), dedupe });
      peers.push(peer);
      targets.push({ name, url: peer.url, peer });
    }
    if (wanted('baseline')) {
      const baseline = await startBaseline({
        postgresPort: pgPort,
        jwtSecret: stack.jwtSecret,
        port: await freePort(),
      });
      peers.push(baseline);
      targets.push({ name: 'single process, no federation', url: baseline.url, peer: baseline });
    }
    const ours = `${stack.gateway}/graphql`;
    const roots = [stack.process.pid!, ...peers.map((p) => p.pid)];

    const cursorsOf = async (_ws: unknown, token: string): Promise<Cursors> => {
      const cursors: Cursors = [null];
      for (let k = 1; k < 5; k++) {
        const answer = await post(ours, listRequest(token, cursors[k - 1]));
        const info = (answer.data?.customers as { pageInfo: { endCursor: string | null } })
          ?.pageInfo;
        if (!info?.endCursor) break;
        cursors.push(info.endCursor);
      }
      return cursors;
    };
    const traffic = (await scenarios(seed, stack.jwtSecret, cursorsOf)).filter(
      (s) => !SCENARIOS || SCENARIOS.some((wantedName) => s.name.startsWith(wantedName)),
    );
    if (!traffic.length) throw new Error(`BENCH_PAGE_SCENARIOS matched none: ${SCENARIOS}`);

    // Every server answers every scenario's first request, and the same data as ours.
    const agreement: Record<string, Record<string, boolean>> = {};
    for (const s of traffic) {
      const mine = await post(ours, s.requests[0]);
      if (mine.errors) throw new Error(`${s.name}: ${JSON.stringify(mine.errors).slice(0, 500)}`);
      agreement[s.name] = {};
      for (const t of targets.filter((target) => target.url !== ours)) {
        const theirs = await post(t.url, s.requests[0]);
        agreement[s.name][t.name] =
          !theirs.errors && JSON.stringify(theirs.data) === JSON.stringify(mine.data);
      }
    }
    console.log('same answers:', JSON.stringify(agreement));

    // The background's statements (relays polling, periodic workers), per second, idle.
    const idleFrom = await statementCount(pg);
    const idleStarted = Date.now();
    await new Promise((r) => setTimeout(r, 5_000));
    const backgroundPerSecond =
      ((await statementCount(pg)) - idleFrom) / ((Date.now() - idleStarted) / 1000);
    const memoryIdle = sampleMemory(roots);

    // Statements per list page by its size: 10 pages each, less the background's.
    const sqlPerListPage: Record<string, number> = {};
    const token = traffic[0].requests[0].token;
    for (const first of [5, 20, 50]) {
      await post(ours, listRequest(token, null, first)); // plans warm
      const before = await statementCount(pg);
      const from = Date.now();
      for (let i = 0; i < 10; i++) await post(ours, listRequest(token, null, first));
      const background = (backgroundPerSecond * (Date.now() - from)) / 1000;
      const counted = (await statementCount(pg)) - before - 1 - background;
      sqlPerListPage[`first: ${first}`] = Math.round(counted) / 10;
    }
    console.log('statements per list page:', sqlPerListPage);

    const runs: Record<string, unknown>[] = [];
    for (const s of traffic) {
      for (let round = 0; round < ROUNDS; round++) {
        // Alternating: each round starts with the next server.
        const order = targets.map((_, i) => targets[(i + round) % targets.length]);
        for (const t of order) {
          await runLoad({
            url: t.url,
            connections: CONNECTIONS,
            durationMs: WARM_MS,
            requests: s.requests,
          });
          const memory = watchMemory(roots);
          const cpuBefore = sampleCpu(roots);
          const sqlBefore = await statementCount(pg);
          const result: LoadResult = await runLoad({
            url: t.url,
            connections: CONNECTIONS,
            durationMs: SECONDS * 1000,
            requests: s.requests,
          });
          const sql = (await statementCount(pg)) - sqlBefore - backgroundPerSecond * result.seconds;
          const cpu = cpuPer(cpuBefore, sampleCpu(roots), result.requests);
          runs.push({
            scenario: s.name,
            server: t.name,
            round,
            ...result,
            sqlStatementsPerRequest: Math.round((sql / Math.max(1, result.requests)) * 100) / 100,
            cpuMsPerRequest: cpu,
            memoryPeakMb: memory.stop(),
          });
          console.log(
            `${s.name} · ${t.name} · round ${round + 1}: ${result.perSecond}/s p95 ${result.latencyMs.p95} ms, ` +
              `CPU ${cpu?.total} ms/request, errors ${result.errors}${result.firstError ? ` (${result.firstError})` : ''}`,
          );
        }
      }
    }
    await pg.end();

    // Per scenario and server: the median round by requests/s.
    const summary = traffic.map((s) => ({
      scenario: s.name,
      servers: targets.map((t) => {
        const mine = runs
          .filter((r) => r.scenario === s.name && r.server === t.name)
          .sort((a, b) => (a.perSecond as number) - (b.perSecond as number));
        const median = mine[Math.floor(mine.length / 2)];
        return {
          server: t.name,
          perSecond: median.perSecond,
          latencyMs: median.latencyMs,
          cpuMsPerRequest: median.cpuMsPerRequest,
          sqlStatementsPerRequest: median.sqlStatementsPerRequest,
          clientCpuMsPerRequest: median.clientCpuMsPerRequest,
          errors: mine.reduce((n, r) => n + (r.errors as number), 0),
          rounds: mine.map((r) => r.perSecond),
        };
      }),
    }));
    const report = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, loadAverage1m: os.loadavg()[0] },
      setup: {
        connections: CONNECTIONS,
        secondsPerRun: SECONDS,
        warmMs: WARM_MS,
        rounds: ROUNDS,
        operations: 'schema/operations/frontend/customer-list.graphql, customer-detail.graphql',
        seed: { seconds: seed.seconds, counts: seed.counts },
        statementsInBackgroundPerSecond: Math.round(backgroundPerSecond * 10) / 10,
        sameAnswers: agreement,
      },
      summary,
      sqlStatementsPerListPage: sqlPerListPage,
      memoryMb: {
        idle: memoryIdle,
        peakUnderLoad: Object.fromEntries(
          Object.keys(memoryIdle).map((k) => [
            k,
            Math.max(...runs.map((r) => (r.memoryPeakMb as Record<string, number>)[k] ?? 0)),
          ]),
        ),
      },
      runs,
      durationSeconds: Math.round((Date.now() - started) / 1000),
    };
    writeResults('page', report);
    const bars = (pick: (s: (typeof summary)[number]['servers'][number]) => number | null) =>
      summary.map((s) => ({
        name: s.scenario,
        bars: s.servers.map((v) => ({ label: v.server, value: pick(v) })),
      }));
    writeFileSync(
      path.join(repoRoot(), 'bench/results/page.svg'),
      chart(
        'bench:page — customer list and detail pages',
        `${CONNECTIONS} connections, ${SECONDS} s per run, median of ${ROUNDS} alternating rounds; ${os.cpus().length} cores shared by everything; ${report.date}`,
        [
          {
            title: 'Throughput',
            unit: 'requests/s, higher is better',
            goal: { value: 300, label: 'goal: list page ≥ 300/s' },
            groups: bars((v) => v.perSecond as number),
          },
          {
            title: 'CPU per request, all processes',
            unit: 'ms, lower is better',
            goal: { value: 7, label: 'goal: list page ≤ 7 ms' },
            groups: bars((v) => (v.cpuMsPerRequest as { total: number } | null)?.total ?? null),
          },
          {
            title: 'Latency p95',
            unit: 'ms, lower is better',
            goal: { value: 100, label: 'goal: list page p95 ≤ 100 ms' },
            groups: bars((v) => (v.latencyMs as { p95: number }).p95),
          },
        ],
      ),
    );
    console.log('chart written to bench/results/page.svg');
  } finally {
    for (const p of peers) await p.stop().catch(() => undefined);
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
