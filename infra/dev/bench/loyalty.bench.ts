// npm run bench:loyalty — a loyalty program change re-evaluating 100,000 customers, and
// the lag from a completed order to its customer's new tier (issue 13).
//
// Runs the real stack as `npm start` does (separate processes, embedded Postgres,
// kafka-lite) on free ports and a throw-away data folder. Seeds customers (contacts)
// and their orders (orders-loyalty) with SQL as bench:orders does, then through the
// gateway, with an admin token:
//   1. sets program A and waits for its re-evaluation to finish (it writes the ledger
//      from nothing: an EARN per completed order) and for the outbox to drain;
//   2. sets program B (another earn rule, so every EARN is reversed and earned again,
//      and other thresholds) and times its re-evaluation until FINISHED: seconds,
//      customers and ledger rows written per second, CPU ms per customer of each
//      process of the stack;
//   3. the tier lag (loyalty-lag.ts).
// Figures go to bench/results/loyalty.json.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Client } from 'pg';
import { signDevToken } from '@customer-graph/gateway';
import { startBenchStack, writeResults } from './bench-stack';
import { tierLag } from './loyalty-lag';
import { seedOrders } from './orders-seed';
import { cpuPer, sampleCpu } from './process-cpu';
import { postgresUrl } from '../src/postgres';

const CUSTOMERS = Number(process.env.BENCH_LOYALTY_CUSTOMERS ?? 100_000);
const ORDERS = Number(process.env.BENCH_LOYALTY_ORDERS ?? CUSTOMERS * 5);
const POLL_MS = 200;

/** First program: 1 point per 10,000 ₫; the ledger is written under it. */
const PROGRAM_A = {
  tiers: [
    { name: 'Bạc', threshold: 100 },
    { name: 'Vàng', threshold: 500 },
    { name: 'Kim cương', threshold: 2_000, multiplier: 2 },
  ],
  earnPoints: 1,
  earnPerAmount: 10_000,
  tierPeriod: 'LIFETIME',
};
/**
 * The change timed: 3 points per 50,000 ₫ gives every seeded order (90,000 to 570,000 ₫)
 * another amount, so each live EARN is reversed and earned again; new thresholds.
 */
const PROGRAM_B = {
  tiers: [
    { name: 'Thành viên', threshold: 60 },
    { name: 'Vàng', threshold: 400 },
    { name: 'Bạch kim', threshold: 2_000, multiplier: 1.5 },
    // Out of any seeded customer's reach; the lag's orders lift customers into it.
    { name: 'Kim cương', threshold: 200_000, multiplier: 2 },
  ],
  earnPoints: 3,
  earnPerAmount: 50_000,
  tierPeriod: 'LIFETIME',
};
/** 3 × 5,000,000,000 / 50,000 = 300,000 points ≥ the top threshold. */
const LAG_ORDER_TOTAL = 5_000_000_000;

const SET = `mutation($p: LoyaltyProgramInput!) { setLoyaltyProgram(input: $p) {
  program { revision } reevaluation { id status total processed } } }`;
const JOB = `query($id: ID!) { loyaltyReevaluation(id: $id) { id status total processed } }`;

interface Job {
  id: string;
  status: string;
  total: number;
  processed: number;
}

async function main(): Promise<void> {
  const started = Date.now();
  const stack = await startBenchStack('loyalty', 3_600_000);
  try {
    const port = Number(stack.ports.POSTGRES_PORT);
    const ws = `loyalty-bench-${randomBytes(3).toString('hex')}`;
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
    const count = async (sql: string) =>
      Number((await orders.query(sql, [ws])).rows[0].n as string);
    const entries = () => count('SELECT count(*) AS n FROM loyalty_entry WHERE workspace_id = $1');
    const unsent = () =>
      count('SELECT count(*) AS n FROM outbox WHERE workspace_id = $1 AND sent_at IS NULL');
    /** Sets a program; resolves when its job is FINISHED, with the job and the seconds. */
    const reevaluate = async (program: object) => {
      const t0 = performance.now();
      const set = await post<{ setLoyaltyProgram: { reevaluation: Job } }>(SET, { p: program });
      let job = set.setLoyaltyProgram.reevaluation;
      let shown = -1;
      while (job.status !== 'FINISHED') {
        if (job.status !== 'QUEUED' && job.status !== 'RUNNING') {
          throw new Error(`re-evaluation ${job.id} ended ${job.status}`);
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
        job = (await post<{ loyaltyReevaluation: Job }>(JOB, { id: job.id })).loyaltyReevaluation;
        if (job.processed - shown >= job.total / 10) {
          console.log(`  ${job.status} ${job.processed}/${job.total}`);
          shown = job.processed;
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      // The job's own clock: queued (the mutation's transaction) to its last batch's commit.
      const { rows } = await orders.query(
        `SELECT extract(epoch FROM finished_at - created_at)::float AS s
           FROM loyalty_reevaluation WHERE id = $1`,
        [job.id],
      );
      return { job, seconds, jobSeconds: Number(rows[0].s) };
    };
    const drain = async () => {
      const t0 = performance.now();
      while ((await unsent()) > 0 && performance.now() - t0 < 600_000) {
        await new Promise((r) => setTimeout(r, 500));
      }
      return { seconds: (performance.now() - t0) / 1000, left: await unsent() };
    };
    const events = () =>
      count(`SELECT count(*) AS n FROM outbox WHERE workspace_id = $1
              AND topic = 'orders.customer.tier-changed'`);

    // 1. Program A: the ledger from nothing.
    console.log('program A: first re-evaluation (writes the ledger)');
    const first = await reevaluate(PROGRAM_A);
    const firstEntries = await entries();
    const firstDrain = await drain();
    // Statistics as autovacuum would leave them on tables that have just grown.
    await orders.query('ANALYZE loyalty_entry; ANALYZE loyalty_balance');
    console.log(`  ${first.seconds.toFixed(1)} s, ${firstEntries} entries`);

    // 2. Program B: timed.
    console.log('program B: the timed re-evaluation');
    const entriesBefore = await entries();
    const eventsBefore = await events();
    await orders.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await orders.query('SELECT pg_stat_statements_reset()');
    const pid = stack.process.pid!;
    const cpuBefore = sampleCpu(pid);
    const second = await reevaluate(PROGRAM_B);
    const cpuAfter = sampleCpu(pid);
    const statements = await topStatements(orders);
    const written = (await entries()) - entriesBefore;
    const tierEvents = (await events()) - eventsBefore;
    const secondDrain = await drain();
    const customers = second.job.processed;
    const perSecond = (n: number, s: number) => Math.round(n / s);

    // 3. The lag from a completed order to the customer's new tier.
    await orders.query('SELECT pg_stat_statements_reset()');
    const lag = await tierLag({
      stack,
      token,
      customerIds,
      topTier: { name: 'Kim cương', rank: PROGRAM_B.tiers.length },
      total: LAG_ORDER_TOTAL,
    });
    const lagStatements = await topStatements(orders);
    await Promise.all([contacts.end(), orders.end()]);

    const report = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, loadAverage1m: os.loadavg()[0] },
      setup: {
        customers: CUSTOMERS,
        orders: ORDERS,
        seedSeconds,
        stack: 'npm start processes: gateway, 4 subgraphs, embedded Postgres 16, kafka-lite',
        programA: PROGRAM_A,
        programB: PROGRAM_B,
      },
      goals: { reevaluationSecondsFor100k: 60 },
      firstReevaluation: {
        customers: first.job.processed,
        seconds: round(first.seconds),
        jobSeconds: round(first.jobSeconds),
        ledgerRows: firstEntries,
        outboxDrainSeconds: round(firstDrain.seconds),
      },
      reevaluation: {
        // Customers with orders or a ledger (those without either are not visited).
        customers,
        // setLoyaltyProgram sent → loyaltyReevaluation seen FINISHED (polled every POLL_MS).
        seconds: round(second.seconds),
        // The job row's created_at → finished_at.
        jobSeconds: round(second.jobSeconds),
        customersPerSecond: perSecond(customers, second.jobSeconds),
        ledgerRowsWritten: written,
        ledgerRowsPerSecond: perSecond(written, second.jobSeconds),
        tierChangedEvents: tierEvents,
        // After FINISHED, until the outbox relay has sent the job's events.
        outboxDrainSeconds: round(secondDrain.seconds),
        outboxLeft: secondDrain.left,
        // CPU ms per customer of each process of the stack (the bench client not counted).
        cpuMsPerCustomer: cpuPer(cpuBefore, cpuAfter, customers),
        // Where Postgres spent it: orders-loyalty's statements by total time during the job.
        topStatements: statements,
      },
      tierLag: { ...lag, topStatements: lagStatements },
      totalSeconds: (Date.now() - started) / 1000,
    };
    console.log(JSON.stringify(report, null, 2));
    writeResults('loyalty', report);
  } finally {
    await stack.stop();
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The orders-loyalty database's costliest statements since the last reset. */
async function topStatements(admin: Client) {
  const { rows } = await admin.query(
    `SELECT regexp_replace(left(s.query, 160), '\\s+', ' ', 'g') AS query, s.calls::int AS calls,
            round(s.total_exec_time)::int AS "totalMs",
            round(s.mean_exec_time::numeric, 2)::float AS "meanMs", s.rows::int AS rows
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
      WHERE d.datname = current_database()
      ORDER BY s.total_exec_time DESC LIMIT 10`,
  );
  return rows;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
