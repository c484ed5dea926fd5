// The refused rows of an import as a CSV file in the file store (kind IMPORT_ERRORS,
// readable by those who import: customers.write): the header as the file wrote it,
// then "Dòng / Line" and "Lỗi / Error"; each refused row's cells as read, its line and
// its reasons. Written a page of rows at a time (memory flat). A cell starting with
// =, +, -, @ (or a tab or carriage return) is written after a ' so a spreadsheet does
// not run it as a formula; an import reading the file back drops that ' again.
import type { DataSource } from 'typeorm';
import { openFileWriter } from '../files/file.store';
import type { StoredFile } from '../files/file.store';
import type { CustomerImportRow } from './import.entity';

const PAGE = 1000;
const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvLine = (cells: readonly string[]) => `${cells.map(csvCell).join(',')}\r\n`;

export async function writeErrorFile(db: DataSource, job: CustomerImportRow): Promise<StoredFile> {
  const writer = await openFileWriter(db, {
    workspaceId: job.workspaceId,
    kind: 'IMPORT_ERRORS',
    name: `import-${job.id}-errors.csv`,
    contentType: 'text/csv; charset=utf-8',
    createdBy: job.createdBy,
    capability: 'workspace.edit',
  });
  try {
    // A BOM, so Excel reads the file as UTF-8.
    await writer.write(`\uFEFF${csvLine([...job.header, 'Dòng / Line', 'Lỗi / Error'])}`);
    let after = 0;
    for (;;) {
      const rows: { line: number; cells: string[]; messages: string[] }[] = await db.query(
        `SELECT line, (array_agg(cells ORDER BY id))[1] AS cells, array_agg(message ORDER BY id) AS messages
           FROM customer_import_error
          WHERE workspace_id = $1 AND import_id = $2 AND line > $3
          GROUP BY line ORDER BY line LIMIT ${PAGE}`,
        [job.workspaceId, job.id, after],
      );
      for (const row of rows) {
        const cells = job.header.map((_, i) => row.cells[i] ?? '');
        await writer.write(csvLine([...cells, String(row.line), row.messages.join('; ')]));
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].line;
    }
    return await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
