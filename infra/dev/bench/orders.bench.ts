// npm run bench:orders — the Orders tab and a customer-list page with order figures,
// on 1,000,000 orders over 100,000 customers (issue 11).
//
// Runs the real stack as `npm start` does (separate processes, embedded Postgres,
// kafka-lite) on free ports and a throw-away data folder. Seeds customers (contacts'
// tables) and their orders and phone directory (orders-loyalty's tables) with SQL,
// as a shop's history would stand after years of imports, then measures through the
// gateway, one client, back to back:
//   - tab:  one customer's `orders(first: 10)` with totalCount, a random customer each time;
//   - page: 20 customers (scrolling the list) with `orderSummary` and `orders(first: 5)`;
// beside the floor: the same rows read straight from Postgres with the same SQL shape
// and no federation. SQL statements per request are counted with pg_stat_statements
// for pages of 5, 20 and 50 customers (constant: one statement per kind of row, not
// per customer). Then the projection lag (orders-lag.ts). Figures go to
// bench/results/orders.json.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Client } from 'pg';
import { signDevToken } from '@customer-graph/gateway';
import { startBenchStack, writeResults } from './bench-stack';
import { projectionLag } from './orders-lag';
import { cpuPer, sampleCpu } from './process-cpu';
import type { BenchData } from './orders-lag';
import { seedOrders } from './orders-seed';
import { postgresUrl } from '../src/postgres';

const CUSTOMERS = Number(process.env.BENCH_ORDER_CUSTOMERS ?? 100_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 400);

export function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  const round = (n: number) => Math.round(n * 10) / 10;
  return { n: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)) };
}

const TAB = `query($id: ID!) { customer(id: $id) { id orders(first: 10) { totalCount
  edges { node { id code source status total orderedAt } } } } }`;
/** The tab's two hops, each alone: the customer from contacts, its orders from orders-loyalty. */
const HOPS = {
  contacts: `query($id: ID!) { customer(id: $id) { id } }`,
  orders: `query($id: ID!) { orders(first: 10, filter: { customerId: $id }) { totalCount
    edges { node { id code source status total orderedAt } } } }`,
};
const page = (size: number) => `query($after: String) {
  customers(first: ${size}, after: $after) { pageInfo { endCursor hasNextPage }
    edges { node { id name
      orderSummary { orderCount completedCount totalSpent averageOrderValue lastOrderAt }
      orders(first: 5) { edges { node { id code status total orderedAt } } } } } } }`;

/** The tab's SQL, straight: the page and its count. */
const FLOOR_TAB = [
  `SELECT id, code, source, status, total, ordered_at FROM customer_order
    WHERE workspace_id = $1 AND customer_id = $2 ORDER BY ordered_at DESC, id DESC LIMIT 11`,
  `SELECT count(*) FROM customer_order WHERE workspace_id = $1 AND customer_id = $2`,
];
/** The page's SQL, straight: 20 customers, then their summaries and 5 orders each. */
const FLOOR_PAGE = {
  customers: `SELECT id, name FROM customer WHERE workspace_id = $1
               ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 21`,
  summary: `SELECT customer_id, count(*) FILTER (WHERE status NOT IN ('CANCELLED','RETURNED')),
              count(*) FILTER (WHERE status = 'COMPLETED'),
              coalesce(sum(total) FILTER (WHERE status NOT IN ('CANCELLED','RETURNED')), 0),
              max(ordered_at) FILTER (WHERE status NOT IN ('CANCELLED','RETURNED'))
              FROM customer_order WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[])
             GROUP BY customer_id`,
  orders: `SELECT o.* FROM unnest($2::uuid[]) AS c(id) CROSS JOIN LATERAL (
             SELECT id, code, status, total, ordered_at FROM customer_order
              WHERE workspace_id = $1 AND customer_id = c.id
              ORDER BY ordered_at DESC, id DESC LIMIT 6) o`,
};

async function main(): Promise<void> {
  const started = Date.now();
  const stack = await startBenchStack('orders', 3_600_000);
  try {
    const port = Number(stack.ports.POSTGRES_PORT);
    const ws = `orders-bench-${randomBytes(3).toString('hex')}`;
    const contacts = new Client({ connectionString: postgresUrl(port, 'cg_contacts') });
    const orders = new Client({ connectionString: postgresUrl(port, 'cg_orders_loyalty') });
    await Promise.all([contacts.connect(), orders.connect()]);
    const seedStarted = Date.now();
    const customerIds = await seedOrders(contacts, orders, ws, CUSTOMERS, ORDERS);
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    console.log(`seeded ${CUSTOMERS} customers, ${ORDERS} orders in ${seedSeconds} s`);

    const token = await signDevToken(
      { workspaceId: ws, userId: 'a', role: 'admin' },
      stack.jwtSecret,
    );
    const post = async (query: string, variables: object) => {
      const t0 = performance.now();
      const res = await fetch(`${stack.gateway}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data: BenchData; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
      return { ms: performance.now() - t0, data: body.data };
    };
    const randomCustomer = () => customerIds[Math.floor(Math.random() * customerIds.length)];

    // Warm-up: plans cached, JIT, connection pools full.
    for (let i = 0; i < 50; i++) await post(TAB, { id: randomCustomer() });
    const tab: number[] = [];
    let tabOrders = 0;
    const pid = stack.process.pid!;
    const tabCpuBefore = sampleCpu(pid);
    for (let i = 0; i < SAMPLES; i++) {
      const { ms, data } = await post(TAB, { id: randomCustomer() });
      tab.push(ms);
      tabOrders += data.customer.orders.totalCount;
    }

    const tabCpu = cpuPer(tabCpuBefore, sampleCpu(pid), SAMPLES);
    const hops: Record<string, number[]> = { contacts: [], orders: [] };
    for (let i = 0; i < SAMPLES; i++) {
      for (const hop of ['contacts', 'orders'] as const) {
        hops[hop].push((await post(HOPS[hop], { id: randomCustomer() })).ms);
      }
    }
    const pages: number[] = [];
    let after: string | null = null;
    let pageCpuBefore = null;
    for (let i = 0; i < SAMPLES + 20; i++) {
      if (i === 20) pageCpuBefore = sampleCpu(pid);
      const { ms, data } = await post(page(20), { after });
      if (i >= 20) pages.push(ms);
      after = data.customers.pageInfo.hasNextPage ? data.customers.pageInfo.endCursor : null;
    }
    const pageCpu = cpuPer(pageCpuBefore, sampleCpu(pid), SAMPLES);

    // The floor: the same reads with no gateway, no subgraph, no GraphQL.
    const floorTab: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const id = randomCustomer();
      const t0 = performance.now();
      for (const sql of FLOOR_TAB) await orders.query(sql, [ws, id]);
      floorTab.push(performance.now() - t0);
    }
    const floorPage: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const t0 = performance.now();
      const { rows } = await contacts.query(FLOOR_PAGE.customers, [ws, (i * 20) % CUSTOMERS]);
      const ids = rows.slice(0, 20).map((r) => r.id as string);
      await orders.query(FLOOR_PAGE.summary, [ws, ids]);
      await orders.query(FLOOR_PAGE.orders, [ws, ids]);
      floorPage.push(performance.now() - t0);
    }

    // SQL statements per page request, by page size.
    const statements: Record<string, Record<string, number>> = {};
    for (const client of [contacts, orders]) {
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    }
    for (const size of [5, 20, 50]) {
      const requests = 20;
      await contacts.query('SELECT pg_stat_statements_reset()');
      let cursor: string | null = null;
      for (let i = 0; i < requests; i++) {
        const { data } = await post(page(size), { after: cursor });
        cursor = data.customers.pageInfo.endCursor;
      }
      statements[`page of ${size}`] = await statementsPerRequest(contacts, requests);
    }

    const lag = await projectionLag({ stack, token, ws, contacts, customerIds });
    await Promise.all([contacts.end(), orders.end()]);

    const report = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, loadAverage1m: os.loadavg()[0] },
      setup: {
        customers: CUSTOMERS,
        orders: ORDERS,
        samples: SAMPLES,
        seedSeconds,
        stack: 'npm start processes: gateway, 4 subgraphs, embedded Postgres 16, kafka-lite',
        client: 'one, back to back, admin token',
      },
      goals: { tabP95Ms: 20, pageP95Ms: 50, projectionLagP99Ms: 1000 },
      tab: { ...stats(tab), averageOrdersPerCustomer: Math.round((tabOrders / SAMPLES) * 10) / 10 },
      // The tab's hops each alone, through the gateway: where its time goes.
      tabHopsAlone: { contacts: stats(hops.contacts), orders: stats(hops.orders) },
      page20: stats(pages),
      floor: { tab: stats(floorTab), page20: stats(floorPage) },
      // CPU ms per request of each process of the stack (the bench client not counted).
      cpuMsPerRequest: { tab: tabCpu, page20: pageCpu },
      statementsPerRequest: statements,
      projectionLag: lag,
      totalSeconds: (Date.now() - started) / 1000,
    };
    console.log(JSON.stringify(report, null, 2));
    writeResults('orders', report);
  } finally {
    await stack.stop();
  }
}

/** Statements per request in each database, the services' own background work left out. */
async function statementsPerRequest(admin: Client, requests: number) {
  const { rows } = await admin.query(
    `SELECT d.datname AS db, sum(s.calls)::int AS calls
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
      WHERE d.datname LIKE 'cg\\_%'
        AND s.query !~* '(outbox|consumed_event|pg_stat|event_inbox|bulk_job|order_import|FROM "typeorm_migrations"|^(BEGIN|COMMIT|ROLLBACK|SET|SHOW|LISTEN))'
      GROUP BY d.datname`,
  );
  return Object.fromEntries(
    rows.map((r: { db: string; calls: number }) => [
      r.db,
      Math.round((r.calls / requests) * 10) / 10,
    ]),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
