// The log of one partition: a list of segments (only the last one is written), an
// in-memory index of every batch's offsets and position, and the idempotent-producer
// state. The high watermark is the log end offset: with a single node, a record is
// committed once appended (acks=-1 additionally waits for the fsync).

import fs from 'node:fs';
import type { BatchHeader } from '../protocol/record-batch';
import { decodeBatch, setBaseOffset } from '../protocol/record-batch';
import type { Flusher } from './flusher';
import { createProducerState, type ProducerState } from './producer-state';
import {
  appendToSegment,
  createFileSegment,
  deleteSegmentFiles,
  closeSegment,
  listSegmentOffsets,
  memorySegment,
  openFileSegment,
  readEntries,
  type Segment,
} from './segment';

export interface LogConfig {
  segmentBytes: number;
  retentionMs: number;
  /** -1 = unlimited. */
  retentionBytes: number;
}

export interface PartitionLog {
  readonly partition: number;
  logStartOffset(): number;
  /** Log end offset, which is also the high watermark. */
  endOffset(): number;
  readonly producers: ProducerState;
  /** Assigns offsets to the batch (in place) and appends it; returns its base offset. */
  append(batch: Buffer, header: BatchHeader): number;
  /** Batches holding `offset` onwards, up to about `maxBytes` (at least one batch if `minOne`). */
  read(offset: number, maxBytes: number, minOne: boolean): Buffer[];
  /** First offset whose record timestamp is >= ts, or -1 if none. */
  offsetForTimestamp(ts: number): number;
  /** Called after every append; long-polling fetches wait here. */
  readonly appendListeners: Set<() => void>;
  /** Resolves once every batch appended so far is on stable storage. */
  flush(): Promise<void>;
  applyRetention(config: LogConfig, now: number): number;
  close(): void;
}

export interface OpenLogOptions {
  partition: number;
  /** null for in-memory. */
  dir: string | null;
  config: () => LogConfig;
  flusher: Flusher;
  warn: (msg: string) => void;
}

export function openPartitionLog(opts: OpenLogOptions): PartitionLog {
  const { dir, flusher } = opts;
  const producers = createProducerState();
  const segments: Segment[] = [];
  /** Segments written since their last flush (more than one only right after a roll). */
  const dirty = new Set<Segment>();

  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    const offsets = listSegmentOffsets(dir);
    offsets.forEach((base, i) => {
      const last = i === offsets.length - 1;
      const { segment, headers, truncatedBytes } = openFileSegment(dir, base, last);
      if (truncatedBytes > 0) {
        opts.warn(`${dir}: truncated ${truncatedBytes} bytes of torn or corrupt tail`);
      }
      for (const h of headers) producers.record(h, h.baseOffset);
      segments.push(segment);
    });
  }
  if (segments.length === 0) segments.push(newSegment(0));

  function newSegment(baseOffset: number): Segment {
    if (!dir) return memorySegment(baseOffset);
    const seg = createFileSegment(dir, baseOffset);
    // Make the new file's directory entry durable along with its data.
    const dirFd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
    return seg;
  }

  const active = (): Segment => segments[segments.length - 1];
  const endOffsetOf = (seg: Segment): number => {
    const last = seg.entries[seg.entries.length - 1];
    return last ? last.lastOffset + 1 : seg.baseOffset;
  };

  /** Index of the segment holding `offset`, by binary search over base offsets. */
  const segmentFor = (offset: number): number => {
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segments[mid].baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  /** Index of the first entry whose lastOffset >= offset. */
  const entryFor = (seg: Segment, offset: number): number => {
    let lo = 0;
    let hi = seg.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seg.entries[mid].lastOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const log: PartitionLog = {
    partition: opts.partition,
    producers,
    appendListeners: new Set(),
    logStartOffset: () => segments[0].entries[0]?.baseOffset ?? segments[0].baseOffset,
    endOffset: () => endOffsetOf(active()),
    append(batch, header) {
      let seg = active();
      const baseOffset = endOffsetOf(seg);
      if (seg.size > 0 && seg.size + batch.length > opts.config().segmentBytes) {
        seg = newSegment(baseOffset);
        segments.push(seg);
      }
      setBaseOffset(batch, 0, baseOffset);
      appendToSegment(seg, batch, { ...header, baseOffset });
      flusher.markDirty(seg);
      dirty.add(seg);
      producers.record(header, baseOffset);
      for (const listener of log.appendListeners) listener();
      return baseOffset;
    },
    read(offset, maxBytes, minOne) {
      const out: Buffer[] = [];
      let budget = maxBytes;
      for (let s = segmentFor(offset); s < segments.length; s++) {
        const seg = segments[s];
        const from = entryFor(seg, offset);
        let to = from;
        while (to < seg.entries.length) {
          const size = seg.entries[to].size;
          if (size > budget && !(minOne && out.length === 0 && to === from)) break;
          budget -= size;
          to++;
        }
        if (to > from) out.push(...readEntries(seg, from, to));
        if (to < seg.entries.length) break;
      }
      return out;
    },
    offsetForTimestamp(ts) {
      for (const seg of segments) {
        const entry = seg.entries.find((e) => e.maxTimestamp >= ts);
        if (!entry) continue;
        const idx = seg.entries.indexOf(entry);
        const [buf] = readEntries(seg, idx, idx + 1);
        const rec = decodeBatch(buf).records.find((r) => r.timestamp >= ts);
        return rec ? rec.offset : entry.baseOffset;
      }
      return -1;
    },
    flush() {
      const files = [...dirty];
      return flusher.flush(files).then(() => {
        // Rolled-away segments are never written again: once synced they are clean.
        for (const seg of files) if (seg !== active()) dirty.delete(seg);
      });
    },
    applyRetention(config, now) {
      let total = segments.reduce((n, s) => n + s.size, 0);
      let removed = 0;
      while (segments.length > 1) {
        const oldest = segments[0];
        const newest = oldest.entries.reduce((m, e) => Math.max(m, e.maxTimestamp), -1);
        const expired = config.retentionMs >= 0 && newest < now - config.retentionMs;
        const oversize = config.retentionBytes >= 0 && total > config.retentionBytes;
        if (!expired && !oversize) break;
        segments.shift();
        total -= oldest.size;
        deleteSegmentFiles(oldest);
        removed++;
      }
      return removed;
    },
    close() {
      for (const seg of segments) closeSegment(seg);
    },
  };
  return log;
}
