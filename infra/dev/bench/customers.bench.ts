// npm run bench:customers — the customer list on a workspace of 1,000,000 customers
// (beside a second workspace of 100,000, so every plan must pick its workspace).
//
// Starts the stack as `npm start` runs it (bench-stack.ts), seeds its contacts database
// with SQL (customers-seed.ts: names with diacritics, phones on 80%, tags, staff,
// custom values), then, for each common filter (customers-cases.ts):
//   - in-process: the page and count queries the list's own code builds, run on a pool
//     set up as the service's (generic plans), RUNS times each, p50 and p95, and the
//     plan each ran (customers-plans.ts: auto_explain, ANALYZE and BUFFERS);
//   - through the gateway: the same page and count as a client sends them (GraphQL, a
//     dev token, one client, back to back), p50 and p95 (customers-gateway.ts).
// Goals (issue 16): page ≤ 20 ms and count ≤ 200 ms at p95, in-process.
// Figures go to bench/results/customers.json; the plans to docs/customer-list-plans.md.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import {
  buildSchema,
  createLogger,
  encodeCursor,
  repoRoot,
  startSubgraph,
  subgraphConfigFor,
} from '@customer-graph/runtime';
import { contactsSubgraph, customerPageQuery } from '@customer-graph/contacts';
import type { ListArgs, ListScope } from '@customer-graph/contacts';
import { postgresUrl } from '../src/postgres';
import { startBenchStack, writeResults } from './bench-stack';
import { seedCustomers } from './customers-seed';
import { CASES } from './customers-cases';
import { gatewayPhase } from './customers-gateway';
import type { GatewayFigures } from './customers-gateway';
import { planReader, timeRuns } from './customers-plans';
import type { Stats } from './customers-plans';

const BIG = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const OTHER = Math.round(BIG / 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WS = 'big';

interface Result {
  case: string;
  matches: number;
  inProcess: { page: Stats; count: Stats };
  gateway: GatewayFigures;
}

async function seed(contacts: Client): Promise<number> {
  const started = Date.now();
  await contacts.query(`INSERT INTO workspace (id, plan) VALUES ($1, 'PREMIUM')`, [WS]);
  await contacts.query(
    `INSERT INTO custom_field (workspace_id, key, label, type, options)
     VALUES ($1, 'tier', 'Hạng', 'SELECT', '["gold", "silver"]')`,
    [WS],
  );
  await seedCustomers(contacts, WS, 1, BIG);
  await seedCustomers(contacts, 'other', 2, OTHER);
  await contacts.query('VACUUM ANALYZE customer');
  await contacts.query('VACUUM ANALYZE customer_phone');
  return (Date.now() - started) / 1000;
}

async function main(): Promise<void> {
  const started = Date.now();
  const stack = await startBenchStack('customers', 3_600_000);
  try {
    const url = postgresUrl(Number(stack.ports.POSTGRES_PORT), 'cg_contacts');
    const contacts = new Client({ connectionString: url });
    await contacts.connect();
    const seedSeconds = await seed(contacts);
    console.log(`seeded ${BIG} + ${OTHER} customers in ${seedSeconds.toFixed(1)} s`);
    // The list's code on a pool of the service's own (its generic plans, its timeout).
    const running = await startSubgraph(
      contactsSubgraph,
      subgraphConfigFor('contacts', {
        databaseUrl: url,
        contextSigningSecret: randomBytes(32).toString('hex'),
        dataEncryptionKey: randomBytes(32),
        logLevel: 'warn',
        exposeErrorDetails: false,
      }),
      createLogger('warn'),
    );
    const plans = await planReader(url);
    const results: Result[] = [];
    const sections: string[] = [];
    try {
      // The field the list pages, as a resolver's info names it (its SDL holds the cap).
      const field = {
        parentType: buildSchema(contactsSubgraph).getQueryType()!,
        fieldName: 'customers',
      };
      for (const c of CASES) {
        const scope: ListScope = { workspaceId: WS, staffUserId: c.staff ?? null };
        let after: string | null = null;
        if (c.name.startsWith('page 2 000')) {
          // The cursor of row 100 000, as a client paging 2 000 pages of 50 would hold.
          const { rows } = await contacts.query(
            `SELECT created_at, id FROM customer WHERE workspace_id = $1
              ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
            [WS, Math.min(99_999, Math.floor(BIG / 2))],
          );
          after = encodeCursor({
            list: 'Query.customers',
            sort: 'CREATED_AT:DESC',
            keys: [rows[0].created_at.toISOString()],
            id: rows[0].id,
          });
        }
        const args: ListArgs = { ...c.args, first: 50, after, field };
        const q = await customerPageQuery(running.db, scope, args);
        // The list's count (countWhere), as it runs it.
        const countSql = `SELECT count(*)::int AS n FROM customer c WHERE ${q.where.sql}`;
        const countParams = q.where.params.values;
        const [{ n: matches }] = await running.db.query(countSql, countParams);
        const inProcess = {
          page: await timeRuns(() => running.db.query(q.sql, q.params), RUNS),
          count: await timeRuns(() => running.db.query(countSql, countParams), RUNS),
        };
        const gateway = await gatewayPhase(stack, WS, c, after, RUNS);
        if (gateway.totalCount !== matches) {
          throw new Error(`${c.name}: the gateway counted ${gateway.totalCount}, not ${matches}`);
        }
        const result: Result = { case: c.name, matches, inProcess, gateway };
        console.log(JSON.stringify(result));
        results.push(result);
        sections.push(
          `## ${c.name}\n\n${matches} matches. Page of 50: p50 ${inProcess.page.p50} ms, ` +
            `p95 ${inProcess.page.p95} ms in-process, p50 ${gateway.page.p50} ms, ` +
            `p95 ${gateway.page.p95} ms through the gateway. totalCount: p50 ` +
            `${inProcess.count.p50} ms, p95 ${inProcess.count.p95} ms in-process, p50 ` +
            `${gateway.count.p50} ms, p95 ${gateway.count.p95} ms through the gateway ` +
            `(${RUNS} runs each).\n\n` +
            '```sql\n' +
            q.sql.replace(/\s+/g, ' ') +
            '\n```\n\nPage plan:\n\n```\n' +
            (await plans.plan(q.sql, q.params)) +
            '\n```\n\nCount plan:\n\n```\n' +
            (await plans.plan(countSql, countParams)) +
            '\n```\n',
        );
      }
    } finally {
      await plans.end();
      await running.stop();
      await contacts.end();
    }
    const report = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, loadAverage1m: os.loadavg()[0] },
      setup: {
        customers: BIG,
        otherWorkspaceCustomers: OTHER,
        pageSize: 50,
        runs: RUNS,
        seedSeconds,
        postgres: 'embedded Postgres 16 of the stack (npm start), generic plans as the service',
        gateway: 'the stack’s gateway, one client, back to back, admin (staff case: staff) token',
      },
      goals: { pageP95Ms: 20, countP95Ms: 200 },
      results,
      totalSeconds: (Date.now() - started) / 1000,
    };
    writeResults('customers', report);
    writeFileSync(
      path.join(repoRoot(), 'docs/customer-list-plans.md'),
      `# Customer list plans on ${BIG.toLocaleString('en')} customers\n\n` +
        'Written by `npm run bench:customers` (`infra/dev/bench/customers.bench.ts`): the ' +
        'page and count queries the list builds for each common filter, in a workspace of ' +
        `${BIG.toLocaleString('en')} customers beside one of ${OTHER.toLocaleString('en')}, ` +
        'on the stack’s embedded Postgres 16. Each plan is the one the service runs: its ' +
        'pools plan statements for all values at once (`plan_cache_mode=force_generic_plan`), ' +
        'so the plans show `$1`, not the values, and were recorded by `auto_explain` ' +
        '(ANALYZE, BUFFERS) as the statement ran. The figures beside each are p50 and p95 ' +
        'in-process (the list’s SQL on the service’s pool) and through the gateway (GraphQL, ' +
        `a dev token). Generated ${report.date}.\n\n` +
        sections.join('\n'),
    );
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
