// npm run bench:import — customer import (issue 15): a 100,000-row CSV uploaded through
// the gateway (POST /files) and imported as a background job (startCustomerImport),
// polled with importJob until DONE; then the same file imported again (0 created).
// Reports rows/s of each run (from the mutation to DONE) and the contacts process's
// peak RSS (VmHWM from /proc, Linux), into bench/results/import.json.
// Runs the real stack as `npm start` does (separate processes, embedded Postgres,
// kafka-lite) on free ports and a throw-away data folder.
// Goals: ≥ 5,000 rows/s, peak RSS of contacts ≤ 300 MB.
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { Client } from 'pg';
import { signDevToken } from '@customer-graph/gateway';
import { startBenchStack, writeResults } from './bench-stack';
import { postgresUrl } from '../src/postgres';
import { cpuPer, sampleCpu } from './process-cpu';
import { resetStatements, topStatements } from './statements';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const POLL_MS = 200;
const ws = 'bench-import';

/** Row i: a distinct mobile number, email, external id; every tenth a bad phone. */
function file(): string {
  const lines = ['Họ tên,Số điện thoại,Email,Địa chỉ,Ngày sinh,Giới tính,Nhãn,Mã khách hàng'];
  for (let i = 0; i < ROWS; i++) {
    const phone = i % 100 === 99 ? 'không có' : `09${String(i).padStart(8, '0')}`;
    const day = String(1 + (i % 28)).padStart(2, '0');
    lines.push(
      `Khách ${i},${phone},khach${i}@mail.vn,"${i} Lê Lợi, Quận 1",${day}/05/1990,${i % 2 ? 'Nam' : 'Nữ'},"vip, hcm",KH-${i}`,
    );
  }
  return lines.join('\r\n') + '\r\n';
}

/** The peak resident memory (MB) of the contacts service process(es), from /proc. */
function contactsPeakRssMb(): number | null {
  let peak: number | null = null;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!cmdline.includes('services/contacts/')) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) peak = Math.max(peak ?? 0, Math.round(Number(hwm[1]) / 1024));
    } catch {
      // gone meanwhile
    }
  }
  return peak;
}

async function main() {
  const stack = await startBenchStack('import', 3_600_000);
  try {
    const port = Number(stack.ports.POSTGRES_PORT);
    const contacts = new Client({ connectionString: postgresUrl(port, 'cg_contacts') });
    await contacts.connect();
    await contacts.query('INSERT INTO workspace (id) VALUES ($1) ON CONFLICT DO NOTHING', [ws]);
    const token = await signDevToken(
      { workspaceId: ws, userId: 'bench-admin', role: 'admin' },
      stack.jwtSecret,
    );
    const auth = { authorization: `Bearer ${token}` };
    const post = async <T>(query: string, variables: object = {}): Promise<T> => {
      const res = await fetch(`${stack.gateway}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: T; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data!;
    };
    const csv = Buffer.from(file(), 'utf8');
    console.log(`file: ${ROWS} rows, ${csv.length} bytes`);

    const run = async (label: string) => {
      const uploaded = await fetch(`${stack.gateway}/files`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', 'x-file-name': 'khach.csv', ...auth },
        body: csv,
      });
      if (uploaded.status !== 201)
        throw new Error(`upload: ${uploaded.status} ${await uploaded.text()}`);
      const { id: uploadId } = (await uploaded.json()) as { id: string };
      await resetStatements(contacts);
      const cpuBefore = sampleCpu(stack.process.pid!);
      const started = Date.now();
      const { startCustomerImport } = await post<{ startCustomerImport: { id: string } }>(
        'mutation ($id: ID!) { startCustomerImport(input: { uploadId: $id }) { id } }',
        { id: uploadId },
      );
      type Job = {
        status: string;
        processed: number;
        created: number;
        updated: number;
        unchanged: number;
        failed: number;
        failure: string | null;
        errorFile: { byteSize: number } | null;
      };
      for (;;) {
        const { importJob } = await post<{ importJob: Job }>(
          `{ importJob(id: "${startCustomerImport.id}") { status processed created updated unchanged failed failure errorFile { byteSize } } }`,
        );
        if (importJob.status === 'FAILED') throw new Error(`import failed: ${importJob.failure}`);
        if (importJob.status === 'DONE') {
          const seconds = (Date.now() - started) / 1000;
          const figures = {
            seconds: Math.round(seconds * 10) / 10,
            rowsPerSecond: Math.round(ROWS / seconds),
            created: importJob.created,
            updated: importJob.updated,
            unchanged: importJob.unchanged,
            failed: importJob.failed,
            errorFileBytes: importJob.errorFile?.byteSize ?? 0,
            // CPU ms per row of each process, and contacts' costliest statements.
            cpuMsPerRow: cpuPer(cpuBefore, sampleCpu(stack.process.pid!), ROWS),
            statements: await topStatements(contacts),
          };
          console.log(label, figures);
          return figures;
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    };
    const first = await run('first import');
    const second = await run('same file again');
    const peakRssMb = contactsPeakRssMb();
    if (process.env.EXPLAIN_DEBUG) {
      const ids = Array.from({ length: 1000 }, (_, i) => `KH-${i * 7}`);
      for (const sql of [
        `EXPLAIN (ANALYZE, BUFFERS) SELECT external_id, customer_id FROM customer_external_id
          WHERE workspace_id = $1 AND source = 'SHOP' AND external_id = ANY($2::text[])`,
        `EXPLAIN (ANALYZE, BUFFERS) UPDATE customer c SET type = customer_derived_type(c.workspace_id, c.id, c.email, c.has_live_order)
          WHERE c.workspace_id = $1 AND c.id = ANY(ARRAY(SELECT customer_id FROM customer_external_id WHERE workspace_id = $1 AND external_id = ANY($2::text[])))`,
      ]) {
        await contacts.query('BEGIN');
        const { rows: plan } = await contacts.query(sql, [ws, ids]);
        await contacts.query('ROLLBACK');
        console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
      }
      const { rows: st } = await contacts.query(
        `SELECT relname, n_live_tup, last_autoanalyze, last_analyze FROM pg_stat_user_tables WHERE relname IN ('customer', 'customer_external_id', 'customer_phone')`,
      );
      console.log(st);
    }
    const { rows } = await contacts.query(
      'SELECT count(*)::int AS n FROM customer WHERE workspace_id = $1',
      [ws],
    );
    await contacts.end();
    const report = {
      bench: 'import',
      when: new Date().toISOString(),
      machine: { cpus: os.availableParallelism(), memoryGb: Math.round(os.totalmem() / 2 ** 30) },
      rows: ROWS,
      fileBytes: csv.length,
      first,
      second,
      customers: rows[0].n,
      contactsPeakRssMb: peakRssMb,
      goals: { rowsPerSecond: 5_000, peakRssMb: 300, secondCreated: 0 },
      met:
        first.rowsPerSecond >= 5_000 &&
        second.rowsPerSecond >= 5_000 &&
        second.created === 0 &&
        (peakRssMb === null || peakRssMb <= 300),
    };
    writeResults('import', report);
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
