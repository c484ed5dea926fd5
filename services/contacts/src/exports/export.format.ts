// How an export's records are written: CSV for spreadsheets, JSON Lines for programs.
//
// CSV (RFC 4180): UTF-8 with a byte order mark (Excel reads Vietnamese only then),
// CRLF line ends, a header row of column keys, a cell quoted when it holds a comma, a
// quote or a line break (quotes doubled). Formula injection (OWASP "CSV Injection"): a
// text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed
// with `'`, so a spreadsheet shows it as text instead of running it. Numbers the
// export writes itself (order counts, đồng, a NUMBER custom field) are not text and
// are written as they are: `-5` is a number to a spreadsheet, not a formula. Lists
// are joined with `; `; a TABLE custom field's rows are written as JSON.
//
// JSON Lines: one object per line, values typed (numbers, arrays, booleans, null);
// custom fields under `custom`. Nothing is escaped for spreadsheets: JSON is read by
// programs, and a prefix would change the data.
import type { ExportFormat } from './export-job.types';
import { COLUMNS, headerKeys } from './export.columns';
import type { ExportLayout, ExportRecord, ExportValue } from './export.columns';

export const UTF8_BOM = '\uFEFF';

/** What starts a formula in a spreadsheet (OWASP), tab and carriage return included. */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A text cell made safe for spreadsheets: prefixed when it could start a formula. */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A cell quoted per RFC 4180 when it has to be. */
export function quoteCell(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function listText(values: ExportValue[]): string {
  return values.some((v) => v !== null && typeof v === 'object')
    ? JSON.stringify(values)
    : values.map((v) => (v === null ? '' : String(v))).join('; ');
}

/** One value as a CSV cell. */
export function csvCell(value: ExportValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text =
    typeof value === 'string'
      ? value
      : Array.isArray(value)
        ? listText(value)
        : JSON.stringify(value);
  return quoteCell(guardFormula(text));
}

/** External ids as `SOURCE:id`, joined as lists are. */
function externalIdsText(value: ExportValue): ExportValue {
  if (!Array.isArray(value)) return value;
  return value.map((x) => {
    const { source, id } = x as { source: string; id: string };
    return `${source}:${id}`;
  });
}

export interface ExportWriter {
  /** The start of the file: BOM and header for CSV, nothing for JSON Lines. */
  head(): string;
  /** One record's line, ended. */
  line(record: ExportRecord): string;
}

export function exportWriter(format: ExportFormat, layout: ExportLayout): ExportWriter {
  const keys = headerKeys(layout);
  if (format === 'CSV') {
    const externalAt = layout.columns.indexOf('EXTERNAL_IDS');
    return {
      head: () => UTF8_BOM + keys.map((k) => quoteCell(guardFormula(k))).join(',') + '\r\n',
      line: (record) => {
        const cells: string[] = [];
        record.values.forEach((v, i) =>
          cells.push(csvCell(i === externalAt ? externalIdsText(v) : v)),
        );
        for (const v of record.custom) cells.push(csvCell(v));
        return cells.join(',') + '\r\n';
      },
    };
  }
  const columnKeys = layout.columns.map((c) => COLUMNS[c].key);
  return {
    head: () => '',
    line: (record) => {
      const object: Record<string, ExportValue> = {};
      record.values.forEach((v, i) => (object[columnKeys[i]] = v));
      if (layout.customFields.length > 0) {
        const custom: Record<string, ExportValue> = {};
        layout.customFields.forEach((k, j) => (custom[k] = record.custom[j]));
        object.custom = custom;
      }
      return JSON.stringify(object) + '\n';
    },
  };
}

/** The file's name and media type. */
export function fileMeta(format: ExportFormat, createdAt: Date) {
  const stamp = createdAt.toISOString().slice(0, 19).replace(/[T:]/g, '-');
  return format === 'CSV'
    ? { name: `customers-${stamp}.csv`, contentType: 'text/csv; charset=utf-8' }
    : { name: `customers-${stamp}.jsonl`, contentType: 'application/jsonl; charset=utf-8' };
}
