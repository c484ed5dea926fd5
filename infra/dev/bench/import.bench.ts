// npm run bench:import — customer data in and out (issue 15), on the real stack as
// `npm start` runs it (separate processes, embedded Postgres, kafka-lite; free ports, a
// throw-away data folder):
//   1. a 100,000-row CSV uploaded through the gateway (POST /files), imported as a
//      background job (startCustomerImport, importJob polled until DONE); then the same
//      file again (0 created). Rows/s of each run, CPU ms per row of every process,
//      contacts' costliest statements, contacts' RSS sampled every 250 ms.
//   2. a 1,000,000-customer CSV export through the gateway (export.phase.ts), with
//      contacts' RSS sampled as it writes the file.
// Goals: import ≥ 5,000 rows/s; export ≥ 50,000 rows/s; contacts ≤ 300 MB RSS.
// Into bench/results/import.json. BENCH_IMPORT_ROWS, BENCH_EXPORT_CUSTOMERS scale it.
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { Client } from 'pg';
import { signDevToken } from '@customer-graph/gateway';
import { startBenchStack, writeResults } from './bench-stack';
import { openPool, subgraphDatabaseOptions } from '@customer-graph/runtime';
import { contactsSubgraph } from '@customer-graph/contacts';
import { postgresUrl } from '../src/postgres';
import { runExportPhase } from './export.phase';
import type { ExportPhaseReport } from './export.phase';
import { cpuPer, sampleCpu } from './process-cpu';
import { resetStatements, topStatements } from './statements';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const EXPORT_CUSTOMERS = Number(process.env.BENCH_EXPORT_CUSTOMERS ?? 1_000_000);
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

/** The resident memory (MB) of the contacts service process(es), from /proc: its peak so far (VmHWM) or now (VmRSS). */
function contactsRssMb(which: 'VmHWM' | 'VmRSS' = 'VmHWM'): number | null {
  let peak: number | null = null;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!cmdline.includes('services/contacts/')) continue;
      const hwm = new RegExp(`${which}:\\s+(\\d+) kB`).exec(
        readFileSync(`/proc/${pid}/status`, 'utf8'),
      );
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
    // What contacts holds before any import: the rest is what importing costs.
    const idleRssMb = contactsRssMb('VmRSS');
    const csv = Buffer.from(file(), 'utf8');
    console.log(`file: ${ROWS} rows, ${csv.length} bytes`);

    // contacts' RSS every 250 ms while a run goes: its peak and its lowest after the
    // first second (what stays once V8 has collected) show whether memory stays flat.
    const sampleRss = () => {
      const samples: number[] = [];
      const timer = setInterval(() => samples.push(contactsRssMb('VmRSS') ?? 0), 250);
      return () => {
        clearInterval(timer);
        const settled = samples.slice(4);
        return {
          peakMb: Math.max(...samples),
          lowestAfterFirstSecondMb: settled.length ? Math.min(...settled) : null,
        };
      };
    };
    const run = async (label: string) => {
      const rss = sampleRss();
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
            contactsRss: rss(),
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
    const { rows } = await contacts.query(
      'SELECT count(*)::int AS n FROM customer WHERE workspace_id = $1',
      [ws],
    );
    await contacts.end();

    // The export: a million customers of another workspace, through the gateway, the
    // contacts process's RSS sampled as it writes the file (export.phase.ts).
    const exportDb = await openPool(
      subgraphDatabaseOptions(contactsSubgraph, postgresUrl(port, 'cg_contacts')),
    );
    let exported: ExportPhaseReport;
    try {
      exported = await runExportPhase(
        {
          db: exportDb,
          rss: () => (contactsRssMb('VmRSS') ?? 0) * 1024 * 1024,
          measure: () => {
            const before = sampleCpu(stack.process.pid!);
            return (rows) => ({
              cpuMsPerThousandRows: cpuPer(before, sampleCpu(stack.process.pid!), rows / 1000),
            });
          },
          query: async (identity, query, variables) => {
            const res = await fetch(`${stack.gateway}/graphql`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${await signDevToken(identity, stack.jwtSecret)}`,
              },
              body: JSON.stringify({ query, variables }),
            });
            return (await res.json()) as { data?: Record<string, any> | null; errors?: unknown[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
          },
        },
        { customers: EXPORT_CUSTOMERS },
      );
    } finally {
      await exportDb.destroy();
    }
    const importPeak = Math.max(first.contactsRss.peakMb, second.contactsRss.peakMb);
    const report = {
      bench: 'import',
      when: new Date().toISOString(),
      machine: { cpus: os.availableParallelism(), memoryGb: Math.round(os.totalmem() / 2 ** 30) },
      rows: ROWS,
      fileBytes: csv.length,
      first,
      second,
      customers: rows[0].n,
      contactsIdleRssMb: idleRssMb,
      export: exported,
      goals: {
        importRowsPerSecond: 5_000,
        exportRowsPerSecond: 50_000,
        peakRssMb: 300,
        secondCreated: 0,
      },
      met: {
        importFirst: first.rowsPerSecond >= 5_000,
        importAgain: second.rowsPerSecond >= 5_000 && second.created === 0,
        importMemory: importPeak <= 300,
        exportRows: exported.rowsPerSecond >= 50_000,
        exportMemory: exported.peakRssMb <= 300,
      },
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
