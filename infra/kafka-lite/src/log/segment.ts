// One log segment: an append-only file of record batches exactly as produced (after the
// broker set their base offsets), named after its first offset, plus an offset index.
//
// <dir>/<baseOffset, 20 digits>.log    raw record batches, back to back
// <dir>/<baseOffset, 20 digits>.index  one 24-byte entry per batch:
//   relative base offset (UINT32), position (UINT32), size (UINT32),
//   last offset delta (UINT32), max timestamp (INT64)
//
// The index lets start-up skip reading old segments. It is not fsynced: the active
// segment is always rescanned (validating each batch's CRC, truncating a torn tail), and
// an older segment whose index does not cover its file exactly is rescanned too.
// In-memory segments keep the batch buffers in their entries instead of a file.

import fs from 'node:fs';
import path from 'node:path';
import { batchSizeAt, crcMatches, readBatchHeader } from '../protocol/record-batch';
import type { BatchHeader } from '../protocol/record-batch';

const INDEX_ENTRY = 24;
const SCAN_CHUNK = 1 << 20;

export interface BatchEntry {
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  position: number;
  size: number;
  /** The batch bytes, for in-memory segments only. */
  data: Buffer | null;
}

export interface Segment {
  readonly baseOffset: number;
  /** -1 for in-memory segments and once closed. */
  fd: number;
  indexFd: number;
  size: number;
  entries: BatchEntry[];
  readonly logPath: string | null;
}

const fileName = (baseOffset: number, ext: string): string =>
  `${String(baseOffset).padStart(20, '0')}.${ext}`;

export function memorySegment(baseOffset: number): Segment {
  return { baseOffset, fd: -1, indexFd: -1, size: 0, entries: [], logPath: null };
}

export function createFileSegment(dir: string, baseOffset: number): Segment {
  const logPath = path.join(dir, fileName(baseOffset, 'log'));
  const fd = fs.openSync(logPath, 'a+');
  const indexFd = fs.openSync(path.join(dir, fileName(baseOffset, 'index')), 'w');
  return { baseOffset, fd, indexFd, size: 0, entries: [], logPath };
}

/** Lists segment base offsets found in a partition directory, ascending. */
export function listSegmentOffsets(dir: string): number[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{20}\.log$/.test(f))
    .map((f) => Number(f.slice(0, 20)))
    .sort((a, b) => a - b);
}

export interface ScanResult {
  segment: Segment;
  /** Headers of the batches found, for rebuilding producer state. */
  headers: BatchHeader[];
  truncatedBytes: number;
}

/**
 * Opens an existing segment. With `validate`, every batch is read and CRC-checked and
 * the file is cut at the first bad or incomplete batch (a torn write from a crash);
 * otherwise the index is trusted when it covers the file exactly.
 */
export function openFileSegment(dir: string, baseOffset: number, validate: boolean): ScanResult {
  const logPath = path.join(dir, fileName(baseOffset, 'log'));
  const indexPath = path.join(dir, fileName(baseOffset, 'index'));
  const fd = fs.openSync(logPath, 'a+');
  const fileSize = fs.fstatSync(fd).size;
  const segment: Segment = { baseOffset, fd, indexFd: -1, size: 0, entries: [], logPath };
  if (!validate) {
    const entries = loadIndex(indexPath, baseOffset);
    const last = entries[entries.length - 1];
    if (entries.length > 0 && last.position + last.size === fileSize) {
      segment.entries = entries;
      segment.size = fileSize;
      segment.indexFd = fs.openSync(indexPath, 'a');
      return { segment, headers: [], truncatedBytes: 0 };
    }
  }
  const headers = scan(segment, fileSize);
  const truncatedBytes = fileSize - segment.size;
  if (truncatedBytes > 0) {
    fs.ftruncateSync(fd, segment.size);
    fs.fsyncSync(fd);
  }
  fs.writeFileSync(indexPath, Buffer.concat(segment.entries.map((e) => indexEntry(baseOffset, e))));
  segment.indexFd = fs.openSync(indexPath, 'a');
  return { segment, headers, truncatedBytes };
}

function loadIndex(indexPath: string, baseOffset: number): BatchEntry[] {
  if (!fs.existsSync(indexPath)) return [];
  const buf = fs.readFileSync(indexPath);
  const entries: BatchEntry[] = [];
  for (let pos = 0; pos + INDEX_ENTRY <= buf.length; pos += INDEX_ENTRY) {
    const base = baseOffset + buf.readUInt32BE(pos);
    entries.push({
      baseOffset: base,
      position: buf.readUInt32BE(pos + 4),
      size: buf.readUInt32BE(pos + 8),
      lastOffset: base + buf.readUInt32BE(pos + 12),
      maxTimestamp: Number(buf.readBigInt64BE(pos + 16)),
      data: null,
    });
  }
  return entries;
}

/** Reads batches sequentially, stopping at the first one that is incomplete or corrupt. */
function scan(segment: Segment, fileSize: number): BatchHeader[] {
  const headers: BatchHeader[] = [];
  let expectedOffset = segment.baseOffset;
  let position = 0;
  let chunk = Buffer.alloc(0);
  let chunkStart = 0;
  while (position < fileSize) {
    let rel = position - chunkStart;
    let size = batchSizeAt(chunk, rel);
    if (size < 0 || rel + size > chunk.length) {
      const want = Math.max(SCAN_CHUNK, size > 0 ? size : 0);
      chunk = Buffer.alloc(Math.min(want, fileSize - position));
      fs.readSync(segment.fd, chunk, 0, chunk.length, position);
      chunkStart = position;
      rel = 0;
      size = batchSizeAt(chunk, 0);
    }
    if (size < 61 || rel + size > chunk.length) break;
    const header = readBatchHeader(chunk, rel);
    if (header.magic !== 2 || header.baseOffset !== expectedOffset) break;
    if (!crcMatches(chunk, rel, size)) break;
    headers.push(header);
    segment.entries.push({
      baseOffset: header.baseOffset,
      lastOffset: header.baseOffset + header.lastOffsetDelta,
      maxTimestamp: header.maxTimestamp,
      position,
      size,
      data: null,
    });
    expectedOffset = header.baseOffset + header.lastOffsetDelta + 1;
    position += size;
  }
  segment.size = position;
  return headers;
}

function indexEntry(baseOffset: number, e: BatchEntry): Buffer {
  const b = Buffer.allocUnsafe(INDEX_ENTRY);
  b.writeUInt32BE(e.baseOffset - baseOffset, 0);
  b.writeUInt32BE(e.position, 4);
  b.writeUInt32BE(e.size, 8);
  b.writeUInt32BE(e.lastOffset - e.baseOffset, 12);
  b.writeBigInt64BE(BigInt(e.maxTimestamp), 16);
  return b;
}

/** Appends one batch (already carrying its base offset) and returns its entry. */
export function appendToSegment(segment: Segment, batch: Buffer, header: BatchHeader): BatchEntry {
  const entry: BatchEntry = {
    baseOffset: header.baseOffset,
    lastOffset: header.baseOffset + header.lastOffsetDelta,
    maxTimestamp: header.maxTimestamp,
    position: segment.size,
    size: batch.length,
    data: segment.fd < 0 ? batch : null,
  };
  if (segment.fd >= 0) {
    let written = 0;
    while (written < batch.length) written += fs.writeSync(segment.fd, batch, written);
    fs.writeSync(segment.indexFd, indexEntry(segment.baseOffset, entry));
  }
  segment.size += batch.length;
  segment.entries.push(entry);
  return entry;
}

/** Reads entries [from, to) of a segment, which are contiguous on disk, as one buffer. */
export function readEntries(segment: Segment, from: number, to: number): Buffer[] {
  const slice = segment.entries.slice(from, to);
  if (segment.fd < 0) return slice.map((e) => e.data as Buffer);
  const start = slice[0].position;
  const end = slice[slice.length - 1].position + slice[slice.length - 1].size;
  const buf = Buffer.allocUnsafe(end - start);
  let read = 0;
  while (read < buf.length) {
    const n = fs.readSync(segment.fd, buf, read, buf.length - read, start + read);
    if (n === 0) throw new Error(`segment ${segment.logPath} shorter than its index`);
    read += n;
  }
  return [buf];
}

export function closeSegment(segment: Segment): void {
  if (segment.fd >= 0) fs.closeSync(segment.fd);
  if (segment.indexFd >= 0) fs.closeSync(segment.indexFd);
  segment.fd = -1;
  segment.indexFd = -1;
}

export function deleteSegmentFiles(segment: Segment): void {
  closeSegment(segment);
  if (!segment.logPath) return;
  fs.rmSync(segment.logPath, { force: true });
  fs.rmSync(segment.logPath.replace(/\.log$/, '.index'), { force: true });
}
