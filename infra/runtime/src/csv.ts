// CSV as spreadsheets and shop software export it (RFC 4180, read leniently):
//
//   record   = cell *(delimiter cell), ended by CRLF, LF or CR (or the end of the text)
//   cell     = *spaces quoted-tail / raw
//   quoted   = '"' *(any char but '"' / '""') '"'   ('""' inside is one quote; line
//                                                     breaks and delimiters are kept)
//   raw      = *(any char but the delimiter and line breaks; a '"' here is literal)
//
// - A UTF-8 byte order mark before the first record is dropped.
// - The delimiter is ",", ";" or a tab: the one seen most often outside quotes in the
//   first non-blank line (Excel in a Vietnamese locale writes ";"); "," when none is.
// - Text after a closing quote up to the delimiter is kept ('"a"b' is `ab`).
// - A record whose cells are all blank is skipped: not yielded, not counted.
// - Each record carries the file line it starts on (1-based, the BOM does not count)
//   and its row (1-based among the records, blank ones included, as a spreadsheet
//   numbers rows): a quoted cell with line breaks makes the two differ.
// - A quote opened and never closed is an error naming the line it opened on: it
//   would swallow the rest of the file.
//
// `countCsvRecords` runs the same scanner without building a string, so a caller can
// refuse an oversized upload before parsing it.

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvRecord {
  /** The file line the record starts on, 1-based. */
  line: number;
  /** The record's row as a spreadsheet shows it, 1-based. */
  row: number;
  /** The cells as written (quotes removed, not trimmed). */
  cells: string[];
}

export class CsvError extends Error {
  constructor(
    /** The file line at fault, 1-based. */
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const BOM = 0xfeff;
const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

/** Whitespace as String.prototype.trim sees it, without a regex for ASCII. */
function isSpace(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return code === 0xa0 || code === BOM || /\s/.test(String.fromCharCode(code));
}

/** Whether text[from, to) holds anything but whitespace. */
function hasContent(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return true;
  return false;
}

const start = (text: string) => (text.charCodeAt(0) === BOM ? 1 : 0);

/** The delimiter of the first non-blank line: the most frequent outside quotes. */
export function detectDelimiter(text: string): CsvDelimiter {
  let counts = new Map<number, number>();
  let quoted = false;
  let seen = false;
  for (let i = start(text); i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) quoted = !quoted;
    if (quoted) continue;
    if (code === LF || code === CR) {
      if (seen) break;
      counts = new Map();
      continue;
    }
    if (!isSpace(code)) seen = true;
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  let best: CsvDelimiter = ',';
  for (const d of DELIMITERS) {
    if ((counts.get(d.charCodeAt(0)) ?? 0) > (counts.get(best.charCodeAt(0)) ?? 0)) best = d;
  }
  return best;
}

interface Scanned {
  line: number;
  row: number;
  cells: string[] | null;
  filled: boolean;
  /** Where the record starts in the text. */
  from: number;
  /** Where it ends (after its line break). */
  to: number;
  /** Whether a line break ended it (else the text did, or, scanning a part, an open quote). */
  ended: boolean;
}

/** Where a scan starts: the line and row numbers so far, and whether a BOM may lead. */
interface ScanFrom {
  line: number;
  row: number;
  first: boolean;
  /**
   * The text is a part of a file: a quote still open at its end ends the scan with the
   * record unfinished (ended: false) instead of an error.
   */
  part?: boolean;
}

/** The one scanner: records with their cells when `collect`, else only whether filled. */
function* scan(
  text: string,
  delimiter: CsvDelimiter,
  collect: boolean,
  at: ScanFrom = { line: 1, row: 0, first: true },
): Generator<Scanned> {
  const d = delimiter.charCodeAt(0);
  const n = text.length;
  const endOfRaw = (from: number) => {
    let i = from;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === d || c === LF || c === CR) break;
    }
    return i;
  };
  let i = at.first ? start(text) : 0;
  let line = at.line;
  let row = at.row;
  while (i < n) {
    const record: Scanned = {
      line,
      row: ++row,
      cells: collect ? [] : null,
      filled: false,
      from: i,
      to: n,
      ended: false,
    };
    for (;;) {
      // Spaces before an opening quote are not part of the cell (`a, "b, c"`).
      let j = i;
      for (; j < n; j++) {
        const c = text.charCodeAt(j);
        if (c === d || c === LF || c === CR || !isSpace(c)) break;
      }
      let cell = '';
      if (j < n && text.charCodeAt(j) === QUOTE) {
        const opened = line;
        let k = j + 1;
        let from = k;
        for (;;) {
          if (k >= n) {
            if (at.part) {
              yield record;
              return;
            }
            throw new CsvError(opened, 'a quoted value opened here is never closed');
          }
          const c = text.charCodeAt(k);
          if (c === QUOTE) {
            if (!record.filled && hasContent(text, from, k)) record.filled = true;
            if (collect) cell += text.slice(from, k);
            if (text.charCodeAt(k + 1) !== QUOTE) break;
            if (collect) cell += '"';
            record.filled = true;
            k += 2;
            from = k;
            continue;
          }
          if (c === LF || (c === CR && text.charCodeAt(k + 1) !== LF)) line++;
          k++;
        }
        const end = endOfRaw(k + 1);
        if (!record.filled && hasContent(text, k + 1, end)) record.filled = true;
        if (collect) cell += text.slice(k + 1, end);
        i = end;
      } else {
        const end = endOfRaw(i);
        if (!record.filled && hasContent(text, i, end)) record.filled = true;
        if (collect) cell = text.slice(i, end);
        i = end;
      }
      record.cells?.push(cell);
      if (i < n && text.charCodeAt(i) === d) {
        i++;
        continue;
      }
      if (i < n) {
        i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
        line++;
        record.ended = true;
      }
      record.to = i;
      break;
    }
    yield record;
  }
}

/**
 * The non-blank records of a CSV text, parsed lazily: a caller can give the event
 * loop back between records (fairness.ts). Throws CsvError on an unclosed quote.
 */
export function* readCsv(
  text: string,
  delimiter: CsvDelimiter = detectDelimiter(text),
): Generator<CsvRecord> {
  for (const r of scan(text, delimiter, true)) {
    if (r.filled) yield { line: r.line, row: r.row, cells: r.cells! };
  }
}

/**
 * How many non-blank records a CSV text holds, scanned without building a string:
 * for a cap checked before parsing. Throws CsvError on an unclosed quote.
 */
export function countCsvRecords(
  text: string,
  delimiter: CsvDelimiter = detectDelimiter(text),
): number {
  let count = 0;
  for (const r of scan(text, delimiter, false)) if (r.filled) count++;
  return count;
}

/**
 * A header cell folded for matching: "Số điện thoại" → "sodienthoai", "Mã ĐH" → "madh",
 * "Phí vận chuyển (VNĐ)" → "phivanchuyenvnd". Lowercase, no diacritics (đ → d), only
 * letters and digits.
 */
export function foldHeader(cell: string): string {
  return cell
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * The non-blank records of a CSV file read piece by piece (an upload's chunks), holding
 * one piece and an unfinished record at a time whatever the file's size: the records,
 * lines and rows readCsv gives for the whole text. A record is given once a line break
 * ends it; one still open at a piece's end (a quoted value, or a CR that an LF may
 * follow) waits for the next piece; at the end of the file an unclosed quote is a
 * CsvError. UTF-8, cut anywhere. The delimiter is detected once a first line is in.
 */
export async function* readCsvStream(
  pieces: AsyncIterable<Buffer | string>,
): AsyncGenerator<CsvRecord> {
  const decoder = new TextDecoder('utf-8');
  let at: ScanFrom = { line: 1, row: 0, first: true };
  let delimiter: CsvDelimiter | undefined;
  let pending = '';
  function* take(text: string, last: boolean): Generator<CsvRecord> {
    if (delimiter === undefined) {
      // Detected on a whole first line: until one is in, everything waits.
      if (!last && !/[\r\n]/.test(text)) {
        pending = text;
        return;
      }
      delimiter = detectDelimiter(text);
    }
    const open = (r: Scanned) =>
      !r.ended || (r.to === text.length && text.charCodeAt(text.length - 1) === CR);
    let rest = '';
    let next: ScanFrom = { ...at, first: false };
    for (const r of scan(text, delimiter, true, { ...at, part: !last })) {
      if (!last && open(r)) {
        rest = text.slice(r.from);
        next = { line: r.line, row: r.row - 1, first: false };
        break;
      }
      if (r.filled) yield { line: r.line, row: r.row, cells: r.cells! };
      // The next record's numbers: one row on, and the lines this one spanned.
      next = { line: r.line + linesIn(text, r.from, r.to), row: r.row, first: false };
    }
    pending = rest;
    at = next;
  }
  for await (const piece of pieces) {
    const text = typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true });
    yield* take(pending + text, false);
  }
  const tail = pending + decoder.decode();
  if (tail.length > 0) yield* take(tail, true);
}

/** The line breaks in text[from, to) (CRLF counts once), as the scanner counts them. */
function linesIn(text: string, from: number, to: number): number {
  let lines = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) lines++;
  }
  return lines;
}

/**
 * Folded header → the field it names and its rank among that field's names (0 is the
 * best), for recognising a file's columns by any of their names (an import's). Throws
 * at load when one name would stand for two fields.
 */
export function headerIndex<F extends string>(
  names: Record<F, readonly string[]>,
): Map<string, { field: F; rank: number }> {
  const index = new Map<string, { field: F; rank: number }>();
  for (const [field, headers] of Object.entries(names) as [F, readonly string[]][]) {
    headers.forEach((header, rank) => {
      const folded = foldHeader(header);
      const held = index.get(folded);
      if (held && held.field !== field) {
        throw new Error(`the header "${header}" names both ${held.field} and ${field}`);
      }
      if (!held) index.set(folded, { field, rank });
    });
  }
  return index;
}
