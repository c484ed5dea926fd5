// npm run bench:marketing — the Marketing tab, the customer list with each customer's
// marketing summary, a large campaign's stats and delivery reports ingested, on
// 10,000,000 messages over 100,000 customers across 12 months (issue 14).
//
// Runs the real stack as `npm start` does (bench-stack.ts), seeds it with SQL
// (marketing-seed.ts), then measures through the gateway, one client, back to back:
//   - tab:  one customer's `marketing(first: 10)` with totalCount and each message's
//           timeline, a random customer each time;
//   - page: 20 customers (scrolling the list) with `marketingSummary`;
//   - the large campaign's `Campaign.stats` and `/webhooks/email` ingestion
//     (marketing-delivery.ts: "not available" when those APIs are not there yet);
// beside the floor: the same SQL straight from Postgres, no federation; the tab's plan
// (EXPLAIN ANALYZE: an ordered Append of one index scan per month under the Limit, no
// Sort); CPU ms per request of each process. Figures go to bench/results/marketing.json.
//
// Sizes (env): BENCH_MARKETING_MESSAGES (10,000,000), BENCH_MARKETING_CUSTOMERS
// (100,000), BENCH_MARKETING_CAMPAIGN_MEMBERS (100,000), BENCH_MARKETING_MONTHS (12),
// BENCH_MARKETING_TIMELINES (1; 0 writes no message_event rows), BENCH_SAMPLES (400),
// BENCH_MARKETING_WEBHOOK_EVENTS (100,000), BENCH_MARKETING_WEBHOOK_CONCURRENCY (4).
// EMAIL_WEBHOOK_SECRET is set for the stack when unset (the bench signs with it).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Client } from 'pg';
import { signDevToken } from '@customer-graph/gateway';
import { preparedName } from '@customer-graph/runtime';
import { KEPT_SUMMARY_READ } from '@customer-graph/marketing';
import { startBenchStack, writeResults } from './bench-stack';
import { campaignStats, webhookIngestion } from './marketing-delivery';
import type { Post } from './marketing-delivery';
import { seedMarketing } from './marketing-seed';
import { cpuPer, sampleCpu } from './process-cpu';
import { postgresUrl } from '../src/postgres';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SIZE = {
  messages: env('BENCH_MARKETING_MESSAGES', 10_000_000),
  customers: env('BENCH_MARKETING_CUSTOMERS', 100_000),
  campaignMembers: env('BENCH_MARKETING_CAMPAIGN_MEMBERS', 100_000),
  months: env('BENCH_MARKETING_MONTHS', 12),
  timelines: env('BENCH_MARKETING_TIMELINES', 1) !== 0,
};
const SAMPLES = env('BENCH_SAMPLES', 400);
const WEBHOOK_EVENTS = env('BENCH_MARKETING_WEBHOOK_EVENTS', 100_000);
const WEBHOOK_CONCURRENCY = env('BENCH_MARKETING_WEBHOOK_CONCURRENCY', 4);

// As orders.bench.ts's (importing it would run that bench).
function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  const round = (n: number) => Math.round(n * 10) / 10;
  return { n: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)) };
}

const TAB = `query($id: ID!) { customer(id: $id) { id marketing(first: 10) { totalCount
  edges { node { id channel campaignName contentSummary status failureReason sentAt
    voucherCode timeline { status at detail } } } } } }`;
const page = (size: number) => `query($after: String) {
  customers(first: ${size}, after: $after) { pageInfo { endCursor hasNextPage }
    edges { node { id name
      marketingSummary { channel sent delivered opened clicked failed lastAt } } } } }`;

/** The tab's SQL, straight (message.loaders.ts, summary.loaders.ts): page, count, timelines. */
const FLOOR_TAB = {
  page: `SELECT m.* FROM unnest($2::uuid[]) AS c(id) CROSS JOIN LATERAL (
           SELECT t.id, t.channel, t.campaign_name, t.content_summary, t.status,
                  t.failure_reason, t.sent_at, t.voucher_code, t.created_at
             FROM marketing_message t WHERE t.workspace_id = $1 AND t.customer_id = c.id
            ORDER BY t.created_at DESC, t.id DESC LIMIT 11) m`,
  count: `SELECT count(*)::int FROM marketing_message WHERE workspace_id = $1 AND customer_id = $2`,
  timeline: `SELECT e.* FROM unnest($2::uuid[], $3::timestamptz[]) AS k(id, created_at)
           CROSS JOIN LATERAL (
             SELECT message_id, status, at, detail FROM message_event
              WHERE workspace_id = $1 AND message_id = k.id AND message_created_at = k.created_at
              ORDER BY at, received_at, provider_event_id LIMIT 50) e`,
};
/**
 * The page's SQL, straight: a page of 20 of the workspace's customers (contacts; by
 * OFFSET, not the list's own statement), then their marketing summaries as the summary
 * loader reads them: the kept figures per customer and channel (summary.loaders.ts,
 * summary.kept.ts), one index scan of the kept table's primary key.
 */
const FLOOR_PAGE = {
  customers: `SELECT id, name FROM customer WHERE workspace_id = $1
               ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 21`,
  summary: KEPT_SUMMARY_READ,
};

async function main(): Promise<void> {
  const started = Date.now();
  process.env.EMAIL_WEBHOOK_SECRET ??= randomBytes(32).toString('hex');
  const stack = await startBenchStack('marketing', 6 * 3_600_000);
  try {
    const port = Number(stack.ports.POSTGRES_PORT);
    const ws = `marketing-bench-${randomBytes(3).toString('hex')}`;
    const contacts = new Client({ connectionString: postgresUrl(port, 'cg_contacts') });
    const marketing = new Client({ connectionString: postgresUrl(port, 'cg_marketing') });
    await Promise.all([contacts.connect(), marketing.connect()]);
    const seedStarted = Date.now();
    const seed = await seedMarketing(contacts, marketing, ws, SIZE);
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    console.log(
      `seeded ${SIZE.messages} messages, ${SIZE.customers} customers in ${seedSeconds} s`,
    );
    const { customerIds } = seed;

    const token = await signDevToken(
      { workspaceId: ws, userId: 'a', role: 'admin' },
      stack.jwtSecret,
    );
    const post: Post = async (query, variables) => {
      const t0 = performance.now();
      const res = await fetch(`${stack.gateway}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data: Record<string, any>; errors?: unknown[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
      return { ms: performance.now() - t0, data: body.data };
    };
    const randomCustomer = () => customerIds[Math.floor(Math.random() * customerIds.length)];
    const pid = stack.process.pid!;

    // Warm-up: plans cached, connection pools full.
    for (let i = 0; i < 50; i++) await post(TAB, { id: randomCustomer() });
    const tab: number[] = [];
    let tabMessages = 0;
    let timelineRows = 0;
    await marketing.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    // Planning times too: on a partitioned table planning can cost more than running.
    await marketing.query('ALTER SYSTEM SET pg_stat_statements.track_planning = on');
    await marketing.query('SELECT pg_reload_conf()');
    await marketing.query('SELECT pg_stat_statements_reset()');
    const tabCpuBefore = sampleCpu(pid);
    for (let i = 0; i < SAMPLES; i++) {
      const { ms, data } = await post(TAB, { id: randomCustomer() });
      tab.push(ms);
      tabMessages += data.customer.marketing.totalCount;
      for (const e of data.customer.marketing.edges) timelineRows += e.node.timeline.length;
    }
    const tabCpu = cpuPer(tabCpuBefore, sampleCpu(pid), SAMPLES);
    const tabStatements = await statementsPer(marketing, SAMPLES);

    const pages: number[] = [];
    let after: string | null = null;
    let pageCpuBefore = null;
    for (let i = 0; i < SAMPLES + 20; i++) {
      if (i === 20) {
        await marketing.query('SELECT pg_stat_statements_reset()');
        pageCpuBefore = sampleCpu(pid);
      }
      const { ms, data } = await post(page(20), { after });
      if (i >= 20) pages.push(ms);
      after = data.customers.pageInfo.hasNextPage ? data.customers.pageInfo.endCursor : null;
    }
    const pageCpu = cpuPer(pageCpuBefore, sampleCpu(pid), SAMPLES);
    const pageStatements = await statementsPer(marketing, SAMPLES);

    // The floor: the same reads with no gateway, no subgraph, no GraphQL; prepared by
    // name with generic plans, as the service prepares them (runtime prepared.ts).
    await marketing.query('SET plan_cache_mode = force_generic_plan');
    const floorTab: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const id = randomCustomer();
      const t0 = performance.now();
      const { rows } = await marketing.query(named(FLOOR_TAB.page, [ws, [id]]));
      await marketing.query(named(FLOOR_TAB.count, [ws, id]));
      await marketing.query(
        named(FLOOR_TAB.timeline, [ws, rows.map((r) => r.id), rows.map((r) => r.created_at)]),
      );
      floorTab.push(performance.now() - t0);
    }
    const floorPage: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const t0 = performance.now();
      const { rows } = await contacts.query(FLOOR_PAGE.customers, [ws, (i * 20) % SIZE.customers]);
      await marketing.query(named(FLOOR_PAGE.summary, [ws, rows.slice(0, 20).map((r) => r.id)]));
      floorPage.push(performance.now() - t0);
    }

    const plan = await tabPlan(marketing, ws, randomCustomer());
    const campaign = await campaignStats({
      post,
      stack,
      marketing,
      ws,
      campaign: seed.campaign,
      samples: Math.max(20, Math.floor(SAMPLES / 4)),
      stats,
    });
    const delivery = await webhookIngestion({
      stack,
      marketing,
      ws,
      campaign: seed.campaign,
      events: WEBHOOK_EVENTS,
      batch: 500,
      concurrency: WEBHOOK_CONCURRENCY,
      secret: process.env.EMAIL_WEBHOOK_SECRET,
    });
    await Promise.all([contacts.end(), marketing.end()]);

    const report = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, loadAverage1m: os.loadavg()[0] },
      setup: {
        ...SIZE,
        campaigns: seed.campaigns,
        messageEvents: seed.messageEvents,
        samples: SAMPLES,
        seedSeconds,
        stack: 'npm start processes: gateway, 4 subgraphs, embedded Postgres 16, kafka-lite',
        client: 'one, back to back, admin token',
      },
      goals: { tabP95Ms: 20, pageP95Ms: 50, webhookEventsPerSecond: 2000 },
      tab: {
        ...stats(tab),
        averageMessagesPerCustomer: Math.round((tabMessages / SAMPLES) * 10) / 10,
        averageTimelineRowsPerPage: Math.round((timelineRows / SAMPLES) * 10) / 10,
      },
      page20: stats(pages),
      floor: { tab: stats(floorTab), page20: stats(floorPage) },
      // CPU ms per request of each process of the stack (the bench client not counted).
      cpuMsPerRequest: { tab: tabCpu, page20: pageCpu },
      // Every database's statements per request, by time (pg_stat_statements, planning
      // and execution): where Postgres's share goes.
      statementsPerRequest: { tab: tabStatements, page20: pageStatements },
      tabPlan: plan,
      campaignStats: campaign,
      webhookEmail: delivery,
      totalSeconds: (Date.now() - started) / 1000,
    };
    console.log(JSON.stringify(report, null, 2));
    writeResults('marketing', report);
  } finally {
    await stack.stop();
  }
}

/**
 * The tab's statements for one customer, EXPLAIN ANALYZE'd on one connection (the third
 * run of each: catalog caches warm): the page's plan shape and each one's planning and
 * execution time. The services send unnamed statements, planned at every call, so with
 * a partition per month planning is part of every request's cost.
 */
async function tabPlan(db: Client, ws: string, customerId: string) {
  const explain = async (sql: string, params: unknown[]) => {
    let lines: string[] = [];
    for (let run = 0; run < 3; run++) {
      const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
      lines = rows.map((r) => r['QUERY PLAN'] as string);
    }
    const ms = (label: string) =>
      Number(new RegExp(`${label} Time: ([0-9.]+) ms`).exec(lines.join('\n'))?.[1]);
    return { lines, planningMs: ms('Planning'), executionMs: ms('Execution') };
  };
  const page = await explain(FLOOR_TAB.page, [ws, [customerId]]);
  const { rows } = await db.query(FLOOR_TAB.page, [ws, [customerId]]);
  const count = await explain(FLOOR_TAB.count, [ws, customerId]);
  const timeline = await explain(FLOOR_TAB.timeline, [
    ws,
    rows.map((r) => r.id),
    rows.map((r) => r.created_at),
  ]);
  const text = page.lines.join('\n');
  const time = ({ planningMs, executionMs }: { planningMs: number; executionMs: number }) => ({
    planningMs,
    executionMs,
  });
  return {
    // Newest month first, each month's index scan started only when the newer ones ran
    // out (an ordered Append: months are disjoint ranges of created_at), or a Merge
    // Append of them; under the Limit either way.
    orderedAppend: /->\s+Append/.test(text) && !/Merge Append/.test(text),
    mergeAppend: /Merge Append/.test(text),
    limit: /Limit/.test(text),
    // A Sort node would mean the customer's rows are read and sorted in full.
    sortNode: /(^|->)\s*Sort\b/m.test(text),
    indexScansExecuted: page.lines.filter(
      (l) => /Index (Only )?Scan/.test(l) && !/never executed/.test(l),
    ).length,
    indexScansPlanned: page.lines.filter((l) => /Index (Only )?Scan/.test(l)).length,
    statements: { page: time(page), count: time(count), timeline: time(timeline) },
    plan: page.lines,
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/** Each database's statements since the reset: calls and execution ms per request. */
async function statementsPer(admin: Client, requests: number) {
  const { rows } = await admin.query(
    `SELECT d.datname AS db, regexp_replace(left(s.query, 120), '\\s+', ' ', 'g') AS query,
            round((s.calls::numeric / $1), 2)::float AS "callsPerRequest",
            round((s.total_exec_time / $1)::numeric, 3)::float AS "execMsPerRequest",
            round((s.total_plan_time / $1)::numeric, 3)::float AS "planMsPerRequest"
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
      WHERE d.datname LIKE 'cg\\_%' AND s.query !~* 'pg_stat_statements'
      ORDER BY s.total_exec_time + s.total_plan_time DESC LIMIT 15`,
    [requests],
  );
  return rows;
}

/** A statement prepared by name (once per connection), as the service runs it. */
function named(text: string, values: unknown[]) {
  return { name: preparedName(text), text, values };
}
