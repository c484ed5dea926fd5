// npm run bench:merge — merging duplicate customers (issue 12, seed 003): how long from
// `mergeCustomers` until every subgraph shows the survivor, polled through the gateway.
//
// Runs the real stack as `npm start` does (separate processes, embedded Postgres,
// kafka-lite) on free ports and a throw-away data folder. Seeds with SQL, for each of
// BENCH_MERGES merges, BENCH_MERGE_CUSTOMERS customers (a survivor and its duplicates)
// holding BENCH_MERGE_ORDERS orders and BENCH_MERGE_MESSAGES marketing messages
// between them, and a Zalo follower each. Then, one merge at a time, through the
// gateway as an admin: the mutation, then the survivor's page read by a merged id
// until every subgraph answers for the survivor — contacts (the merged id resolves to
// the survivor), orders-loyalty (every order and the figures), marketing (every
// message) and followers (every follower). Figures go to bench/results/merge.json.
// Goal: p99 ≤ 2 s.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Client } from 'pg';
import { signDevToken } from '@customer-graph/gateway';
import { startBenchStack, writeResults } from './bench-stack';
import { postgresUrl } from '../src/postgres';

const MERGES = Number(process.env.BENCH_MERGES ?? 20);
const CUSTOMERS = Number(process.env.BENCH_MERGE_CUSTOMERS ?? 9);
const ORDERS = Number(process.env.BENCH_MERGE_ORDERS ?? 10_000);
const MESSAGES = Number(process.env.BENCH_MERGE_MESSAGES ?? 10_000);
const POLL_MS = 10;

const MERGE = `mutation($s: ID!, $m: [ID!]!) {
  mergeCustomers(survivorId: $s, mergedIds: $m) { id survivor { id } } }`;
const PAGE = `query($id: ID!) { customer(id: $id) { id
  orders(first: 1) { totalCount } orderSummary { orderCount }
  marketing(first: 1) { totalCount } zaloFollowerCount } }`;

interface Page {
  customer: {
    id: string;
    orders: { totalCount: number };
    orderSummary: { orderCount: number };
    marketing: { totalCount: number };
    zaloFollowerCount: number;
  } | null;
}

/** Row i of a group's rows goes to its customer 1 + i mod n (ids in $2). */
const spread = (n: number) => `($2::uuid[])[1 + (i % ${n})]`;

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  const round = (n: number) => Math.round(n);
  return {
    n: sorted.length,
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    max: round(sorted.at(-1)!),
  };
}

async function seed(dbs: Record<string, Client>, ws: string): Promise<string[][]> {
  for (const db of Object.values(dbs)) {
    await db.query('INSERT INTO workspace (id) VALUES ($1)', [ws]);
  }
  const groups: string[][] = [];
  for (let g = 0; g < MERGES; g++) {
    const { rows } = await dbs.contacts.query(
      `INSERT INTO customer (workspace_id, name, name_search, type, order_count, total_spent,
         has_live_order, first_order_at, last_order_at)
       SELECT $1, 'Khách ' || $2 || '-' || i, 'khach ' || $2 || '-' || i, 'CUSTOMER',
              $3::int / $4 + CASE WHEN i <= $3::int % $4 THEN 1 ELSE 0 END,
              1000 * ($3::int / $4 + CASE WHEN i <= $3::int % $4 THEN 1 ELSE 0 END),
              true, now(), now()
         FROM generate_series(1, $4::int) AS i ORDER BY i
       RETURNING id`,
      [ws, g, ORDERS, CUSTOMERS],
    );
    const ids = rows.map((r) => r.id as string);
    groups.push(ids);
    // Customer k of group g has the phone +8491gggkkkk.
    const phone = `'+8491' || lpad($3::text, 3, '0') || lpad(k::text, 4, '0')`;
    for (const table of ['customer_phone', 'phone_owner'] as const) {
      await dbs.contacts.query(
        table === 'customer_phone'
          ? `INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
             SELECT $1, id, ${phone}, ${phone}, 0 FROM unnest($2::uuid[]) WITH ORDINALITY AS c(id, k)`
          : `INSERT INTO phone_owner (workspace_id, e164, customer_id)
             SELECT $1, ${phone}, id FROM unnest($2::uuid[]) WITH ORDINALITY AS c(id, k)`,
        [ws, ids, g],
      );
    }
    await dbs.orders.query(
      `INSERT INTO phone_directory (workspace_id, e164, customer_id, occurred_at)
       SELECT $1, ${phone}, id, now() FROM unnest($2::uuid[]) WITH ORDINALITY AS c(id, k)`,
      [ws, ids, g],
    );
    await dbs.orders.query(
      `INSERT INTO customer_order (workspace_id, customer_id, code, source, status, subtotal,
         total, ordered_at, source_updated_at)
       SELECT $1, ${spread(CUSTOMERS)}, 'M' || $3 || '-' || i, 'WEBSITE', 'COMPLETED', 1000, 1000,
              now() - i * interval '1 minute', now()
         FROM generate_series(0, $4::int - 1) AS i`,
      [ws, ids, g, ORDERS],
    );
    await dbs.marketing.query(
      `INSERT INTO marketing_message (workspace_id, customer_id, channel, campaign_name, status, sent_at, created_at)
       SELECT $1, ${spread(CUSTOMERS)}, 'ZNS', 'Chiến dịch ' || i % 50, 'DELIVERED',
              now() - i * interval '1 minute', now() - i * interval '1 minute'
         FROM generate_series(0, $3::int - 1) AS i`,
      [ws, ids, MESSAGES],
    );
    await dbs.followers.query(
      `INSERT INTO zalo_follower (workspace_id, zalo_user_id, followed_at, status, customer_id)
       SELECT $1, 'z-' || $3 || '-' || k, now(), 'FOLLOWING', id
         FROM unnest($2::uuid[]) WITH ORDINALITY AS c(id, k)`,
      [ws, ids, g],
    );
  }
  for (const [name, db] of Object.entries(dbs)) {
    await db.query('ANALYZE');
    console.log(`  seeded ${name}`);
  }
  return groups;
}

async function main(): Promise<void> {
  const started = Date.now();
  const stack = await startBenchStack('merge', 3_600_000);
  try {
    const port = Number(stack.ports.POSTGRES_PORT);
    const ws = `merge-bench-${randomBytes(3).toString('hex')}`;
    const dbs: Record<string, Client> = {
      contacts: new Client({ connectionString: postgresUrl(port, 'cg_contacts') }),
      orders: new Client({ connectionString: postgresUrl(port, 'cg_orders_loyalty') }),
      marketing: new Client({ connectionString: postgresUrl(port, 'cg_marketing') }),
      followers: new Client({ connectionString: postgresUrl(port, 'cg_followers') }),
    };
    await Promise.all(Object.values(dbs).map((db) => db.connect()));
    const seedStarted = Date.now();
    const groups = await seed(dbs, ws);
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    console.log(`seeded ${MERGES} × ${CUSTOMERS} customers in ${seedSeconds} s`);

    const token = await signDevToken(
      { workspaceId: ws, userId: 'bench-admin', role: 'admin' },
      stack.jwtSecret,
    );
    const post = async <T>(query: string, variables: object): Promise<T> => {
      const res = await fetch(`${stack.gateway}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data: T; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
      return body.data;
    };
    // Warm-up: plans cached, pools full (reads only).
    for (let i = 0; i < 20; i++) await post<Page>(PAGE, { id: groups[0][i % CUSTOMERS] });

    const mutation: number[] = [];
    const visible: number[] = [];
    let polls = 0;
    for (const [survivor, ...merged] of groups) {
      const t0 = performance.now();
      await post(MERGE, { s: survivor, m: merged });
      mutation.push(performance.now() - t0);
      // Read by the last merged id: contacts must resolve it, the others must hold it all.
      for (;;) {
        polls++;
        const { customer: c } = await post<Page>(PAGE, { id: merged[merged.length - 1] });
        if (
          c?.id === survivor &&
          c.orders.totalCount === ORDERS &&
          c.orderSummary.orderCount === ORDERS &&
          c.marketing.totalCount === MESSAGES &&
          c.zaloFollowerCount === CUSTOMERS
        ) {
          break;
        }
        if (performance.now() - t0 > 60_000) {
          throw new Error(`merge into ${survivor} not visible after 60 s: ${JSON.stringify(c)}`);
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      visible.push(performance.now() - t0);
    }
    await Promise.all(Object.values(dbs).map((db) => db.end()));

    const report = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, loadAverage1m: os.loadavg()[0] },
      setup: {
        merges: MERGES,
        customersPerMerge: CUSTOMERS,
        ordersPerMerge: ORDERS,
        messagesPerMerge: MESSAGES,
        followersPerMerge: CUSTOMERS,
        seedSeconds,
        pollEveryMs: POLL_MS,
        stack: 'npm start processes: gateway, 4 subgraphs, embedded Postgres 16, kafka-lite',
        client: 'one, one merge at a time, admin token',
      },
      goals: { visibleP99Ms: 2000 },
      mergeMutation: stats(mutation),
      untilEverySubgraphShowsTheSurvivor: stats(visible),
      pollsPerMerge: Math.round((polls / MERGES) * 10) / 10,
      totalSeconds: (Date.now() - started) / 1000,
    };
    console.log(JSON.stringify(report, null, 2));
    writeResults('merge', report);
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
