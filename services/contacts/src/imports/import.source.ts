// Reading a customer file as records ({ line, cells }): CSV through the runtime's
// reader (RFC 4180, delimiter detected, BOM dropped, blank records skipped), XLSX
// through exceljs' streaming reader (the first worksheet, a row at a time; a date
// cell becomes YYYY-MM-DD, a number its digits, rich text its text). An upload is
// XLSX when it starts as a zip does, else CSV (UTF-8), read a chunk at a time.
import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import ExcelJS from 'exceljs';
import { badInput, readCsv, readCsvStream } from '@customer-graph/runtime';
import { readFileChunks } from '../files/file.store';
import type { CustomerImportFormat } from './import.entity';
import type { ImportRecord } from './import.rows';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export function formatOf(head: Buffer): CustomerImportFormat {
  return head.subarray(0, 4).equals(ZIP_MAGIC) ? 'XLSX' : 'CSV';
}

export function* csvRecords(text: string): Generator<ImportRecord> {
  for (const record of readCsv(text)) yield { line: record.line, cells: record.cells };
}

/** A cell of exceljs as text. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('text' in value) return cellText(value.text as ExcelJS.CellValue);
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  if ('error' in value) return '';
  return '';
}

/** The records of an XLSX workbook's first worksheet; blank rows are skipped. */
export async function* xlsxRecords(input: Readable): AsyncGenerator<ImportRecord> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as ExcelJS.CellValue[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        if (cells.some((c) => c.trim() !== '')) yield { line: row.number, cells };
      }
      return; // the first worksheet only
    }
  } finally {
    input.destroy();
  }
}

/** The format of an upload, from its first chunk. */
export async function uploadFormat(
  db: DataSource,
  workspaceId: string,
  id: string,
): Promise<CustomerImportFormat> {
  for await (const head of readFileChunks(db, workspaceId, id)) return formatOf(head);
  return 'CSV';
}

/** The records of a file: an inline CSV, or an upload of either format. */
export async function* recordsOf(
  db: DataSource,
  file: {
    workspaceId: string;
    format: CustomerImportFormat;
    csv: string | null;
    uploadId: string | null;
  },
): AsyncGenerator<ImportRecord> {
  if (file.csv !== null) {
    yield* csvRecords(file.csv);
  } else if (file.format === 'XLSX') {
    yield* xlsxRecords(Readable.from(readFileChunks(db, file.workspaceId, file.uploadId!)));
  } else {
    // Chunk by chunk: the file is never whole in memory, whatever its size.
    for await (const record of readCsvStream(
      readFileChunks(db, file.workspaceId, file.uploadId!),
    )) {
      yield { line: record.line, cells: record.cells };
    }
  }
}

/** A worksheet's file turned into a parse error for the client, naming the field. */
export function unreadable(field: string, error: unknown) {
  return badInput(field, `the file cannot be read: ${(error as Error).message}`);
}
