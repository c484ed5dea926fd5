// A seller uploads up to 100,000 phone numbers (a list, or CSV text from a spreadsheet)
// to mark the matching customers PRIORITY or RESTRICTED. This module turns that upload
// into distinct E.164 numbers plus a report of what was skipped, in one linear pass,
// before anything touches the database.
//
// Decisions a caller should know:
// - An entry is a non-empty list item or a non-blank CSV data line. A CSV line whose
//   cells are all empty (",,,") is blank too: skipped and not counted.
// - A CSV line with cells but an empty phone cell is an invalid row ("no phone number").
// - The cap counts entries (not raw lines or list items) and is checked before the
//   text is split or any number normalised: a cheap count of the non-blank lines
//   (a line holding anything but spaces and separators; a line of only quotes counts)
//   refuses an oversized upload without building 8 MiB worth of strings first.
// - Normalising yields every NORMALISE_CHUNK entries (parsePhoneListInChunks), so
//   100,000 numbers do not hold the event loop for the whole parse; each distinct
//   string is parsed once (the request's phone memo).
// - Quoted CSV fields cannot span lines: lines are split first, so row numbers are
//   always file line numbers.
// - Header cells are folded by the runtime's foldHeader (no case, diacritics, spaces or
//   punctuation: "phone_number", "Đ.thoại" → phonenumber, dthoai); only the folded
//   names in PHONE_HEADERS mark the phone column.
import { badInput, foldHeader, inChunks, runToEnd, toE164 } from '@customer-graph/runtime';
import type { E164Of } from '../filter/phone-memo';

export const MAX_PHONE_LIST = 100_000;
/** Entries normalised between two yields to the event loop (a few milliseconds' work). */
/** About 2.5 ms of parsing between yields (2,000 held the event loop ~10 ms at a time). */
export const NORMALISE_CHUNK = 500;

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

/** One non-empty list item or CSV data line, not yet normalised. */
export interface PhoneEntry {
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

/** Parses an upload given as exactly one of `phones` or `csv`, in one go. */
export function parsePhoneList(
  input: { phones?: string[] | null; csv?: string | null },
  e164Of: E164Of = toE164,
): ParsedPhoneList {
  return runToEnd(normalise(readPhoneEntries(input), e164Of));
}

/**
 * Normalises entries read by readPhoneEntries, giving the event loop back every
 * NORMALISE_CHUNK entries, so 100,000 numbers do not hold it for the whole parse.
 */
export function normaliseInChunks(
  entries: readonly PhoneEntry[],
  e164Of: E164Of = toE164,
): Promise<ParsedPhoneList> {
  return inChunks(normalise(entries, e164Of));
}

/** Checks the input and the cap (before splitting anything), then splits it into entries. */
export function readPhoneEntries(input: {
  phones?: string[] | null;
  csv?: string | null;
}): PhoneEntry[] {
  const { phones, csv } = input;
  if ((phones === null || phones === undefined) === (csv === null || csv === undefined)) {
    throw badInput('phones', 'give exactly one of phones or csv');
  }
  const field = phones ? 'phones' : 'csv';
  // Before anything is split or copied: at most one line more than the cap (a header).
  const upTo = phones ? countListed(phones) : countCsvLines(csv ?? '');
  if (upTo > MAX_PHONE_LIST + (phones ? 0 : 1)) throw overCap(field, phones ? upTo : upTo - 1);
  const entries = phones ? listEntries(phones) : csvEntries(csv ?? '');
  if (entries.length > MAX_PHONE_LIST) throw overCap(field, entries.length);
  return entries;
}

function overCap(field: string, count: number) {
  return badInput(
    field,
    `${count} phone numbers is more than the ${MAX_PHONE_LIST} allowed at once`,
  );
}

/** Non-empty list items, without copying any. */
function countListed(phones: readonly string[]): number {
  let count = 0;
  for (const phone of phones) if (/\S/.test(phone)) count++;
  return count;
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const FIRST_FILLED = /\S/;

/** Whitespace as String.prototype.trim sees it, without a regex for ASCII. */
function isSpace(code: number, char: string): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return /\s/.test(char);
}

/**
 * Lines holding something other than whitespace and the separator: an upper bound of
 * the entries (a header line is one more), counted in one pass without splitting. A
 * line of only quotes (`""`) counts, though the parser skips it: the bound errs high.
 */
function countCsvLines(csv: string): number {
  const first = FIRST_FILLED.exec(csv.replace(/^\uFEFF/, ''));
  if (!first) return 0;
  const at = first.index + (csv.startsWith('\uFEFF') ? 1 : 0);
  const start = Math.max(csv.lastIndexOf('\n', at), csv.lastIndexOf('\r', at)) + 1;
  const ends = [csv.indexOf('\n', at), csv.indexOf('\r', at)].filter((i) => i !== -1);
  const separator = detectSeparator(csv.slice(start, ends.length ? Math.min(...ends) : undefined));
  const separatorCode = separator.charCodeAt(0);
  let lines = 0;
  let filled = false;
  for (let i = start; i < csv.length; i++) {
    const code = csv.charCodeAt(i);
    if (code === NEWLINE || code === CARRIAGE_RETURN) {
      if (filled) lines++;
      filled = false;
    } else if (!filled && code !== separatorCode && !isSpace(code, csv[i])) {
      filled = true;
    }
  }
  return filled ? lines + 1 : lines;
}

function* normalise(
  entries: readonly PhoneEntry[],
  e164Of: E164Of,
): Generator<void, ParsedPhoneList> {
  const seen = new Set<string>();
  const invalid: InvalidPhoneRow[] = [];
  let duplicates = 0;
  for (let i = 0; i < entries.length; i++) {
    if (i > 0 && i % NORMALISE_CHUNK === 0) yield;
    const { row, value } = entries[i];
    const e164 = value === '' ? null : e164Of(value);
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

function listEntries(phones: readonly string[]): PhoneEntry[] {
  const entries: PhoneEntry[] = [];
  phones.forEach((phone, index) => {
    const value = phone.trim();
    if (value !== '') entries.push({ row: index + 1, value });
  });
  return entries;
}

function csvEntries(csv: string): PhoneEntry[] {
  const lines = csv.replace(/^\uFEFF/, '').split(LINE_BREAK);
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first === -1) return [];
  const separator = detectSeparator(lines[first]);
  const header = splitLine(lines[first], separator).findIndex(isPhoneHeader);
  const column = Math.max(header, 0);
  const entries: PhoneEntry[] = [];
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
