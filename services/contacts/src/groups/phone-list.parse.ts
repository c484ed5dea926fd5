// A seller uploads up to 100,000 phone numbers (a list, or CSV text from a spreadsheet)
// to mark the matching customers PRIORITY or RESTRICTED. This module turns that upload
// into distinct E.164 numbers plus a report of what was skipped, in one linear pass,
// before anything touches the database.
//
// Decisions a caller should know:
// - An entry is a non-empty list item or a non-blank CSV data line. A CSV line whose
//   cells are all empty (",,,") is blank too: skipped and not counted.
// - A CSV line with cells but an empty phone cell is an invalid row ("no phone number").
// - The cap counts entries (not raw lines or list items) and is checked before any
//   number is normalised.
// - Quoted CSV fields cannot span lines: lines are split first, so row numbers are
//   always file line numbers.
// - Header cells also ignore "_", "-" and "." ("phone_number", "Đ.thoại" → phonenumber,
//   dthoai); only the folded names in PHONE_HEADERS mark the phone column.
import { badInput, toE164 } from '@customer-graph/runtime';

export const MAX_PHONE_LIST = 100_000;

export interface InvalidPhoneRow {
  /** 1-based CSV line number or list index. */
  row: number;
  /** The entry as written (trimmed, unquoted). */
  value: string;
  reason: string;
}

export interface ParsedPhoneList {
  /** Distinct, in first-seen order. */
  e164: string[];
  /** Non-empty entries: e164.length + duplicates + invalid.length. */
  received: number;
  duplicates: number;
  invalid: InvalidPhoneRow[];
}

interface Entry {
  row: number;
  value: string;
}

const PHONE_HEADERS = new Set([
  'phone',
  'sdt',
  'sodienthoai',
  'dienthoai',
  'mobile',
  'tel',
  'phonenumber',
]);
const SEPARATORS = [',', ';', '\t'] as const;
const LINE_BREAK = /\r\n|\n|\r/;

/** Parses an upload given as exactly one of `phones` or `csv`. */
export function parsePhoneList(input: {
  phones?: string[] | null;
  csv?: string | null;
}): ParsedPhoneList {
  const { phones, csv } = input;
  if ((phones === null || phones === undefined) === (csv === null || csv === undefined)) {
    throw badInput('phones', 'give exactly one of phones or csv');
  }
  const entries = phones ? listEntries(phones) : csvEntries(csv ?? '');
  if (entries.length > MAX_PHONE_LIST) {
    throw badInput(
      phones ? 'phones' : 'csv',
      `${entries.length} phone numbers is more than the ${MAX_PHONE_LIST} allowed at once`,
    );
  }
  return normalise(entries);
}

function normalise(entries: readonly Entry[]): ParsedPhoneList {
  const seen = new Set<string>();
  const invalid: InvalidPhoneRow[] = [];
  let duplicates = 0;
  for (const { row, value } of entries) {
    const e164 = value === '' ? null : toE164(value);
    if (e164 === null) {
      const reason = value === '' ? 'no phone number' : 'not a valid phone number';
      invalid.push({ row, value, reason });
    } else if (seen.has(e164)) {
      duplicates++;
    } else {
      seen.add(e164);
    }
  }
  // A Set iterates in insertion order: first seen first.
  return { e164: [...seen], received: entries.length, duplicates, invalid };
}

function listEntries(phones: readonly string[]): Entry[] {
  const entries: Entry[] = [];
  phones.forEach((phone, index) => {
    const value = phone.trim();
    if (value !== '') entries.push({ row: index + 1, value });
  });
  return entries;
}

function csvEntries(csv: string): Entry[] {
  const lines = csv.replace(/^\uFEFF/, '').split(LINE_BREAK);
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first === -1) return [];
  const separator = detectSeparator(lines[first]);
  const header = splitLine(lines[first], separator).findIndex(isPhoneHeader);
  const column = Math.max(header, 0);
  const entries: Entry[] = [];
  for (let index = header === -1 ? first : first + 1; index < lines.length; index++) {
    const cells = splitLine(lines[index], separator).map((cell) => cell.trim());
    if (cells.every((cell) => cell === '')) continue;
    entries.push({ row: index + 1, value: cells[column] ?? '' });
  }
  return entries;
}

/** The separator seen most often outside quotes on `line`; "," when there is none. */
function detectSeparator(line: string): string {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (!quoted) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best: string = SEPARATORS[0];
  for (const separator of SEPARATORS) {
    if ((counts.get(separator) ?? 0) > (counts.get(best) ?? 0)) best = separator;
  }
  return best;
}

/** The cells of one CSV line: "…" quotes a cell (with "" for a quote inside). */
function splitLine(line: string, separator: string): string[] {
  if (!line.includes('"')) return line.split(separator);
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted && char === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (char === '"' && (quoted || cell.trim() === '')) {
      // An opening quote may follow spaces ("a, "b""); they are not part of the cell.
      if (!quoted) cell = '';
      quoted = !quoted;
    } else if (char === separator && !quoted) {
      cells.push(cell);
      cell = '';
    } else {
      cell += char;
    }
  }
  cells.push(cell);
  return cells;
}

function isPhoneHeader(cell: string): boolean {
  return PHONE_HEADERS.has(foldHeader(cell));
}

/** "Số điện thoại" → "sodienthoai": lowercase, no diacritics, spaces, "_", "-" or ".". */
function foldHeader(cell: string): string {
  return cell
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/[\s_.-]/g, '');
}
