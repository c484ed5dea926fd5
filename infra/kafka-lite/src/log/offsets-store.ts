// Committed consumer-group offsets. In persistent mode every commit is appended as one
// JSON line to <dataDir>/consumer-offsets.log and fsynced (group-committed through the
// flusher) before the commit is acknowledged. The file is preallocated with zeros; the
// data ends at the first NUL byte. Start-up replays the file, drops a torn last line,
// and compacts the file when it holds mostly superseded entries.

import fs from 'node:fs';
import path from 'node:path';
import type { Flusher } from './flusher';

export interface CommittedOffset {
  offset: number;
  metadata: string | null;
}

interface Line {
  g: string;
  t: string;
  p: number;
  /** null is a tombstone (topic deleted). */
  o: number | null;
  m?: string | null;
}

export interface OffsetsStore {
  get(group: string, topic: string, partition: number): CommittedOffset | undefined;
  /** Topic -> partitions with a committed offset, for OffsetFetch with null topics. */
  listForGroup(group: string): Map<string, number[]>;
  groups(): string[];
  commit(
    group: string,
    entries: { topic: string; partition: number; offset: number; metadata: string | null }[],
  ): Promise<void>;
  /** Drops a deleted topic's offsets (durably, so a recreated topic starts clean). */
  forgetTopic(topic: string): Promise<void>;
  close(): void;
}

const PREALLOCATE_BYTES = 1 << 20;

const keyOf = (g: string, t: string, p: number): string => `${g}\u0000${t}\u0000${p}`;

export function openOffsetsStore(
  dataDir: string | null,
  flusher: Flusher,
  warn: (m: string) => void,
): OffsetsStore {
  const offsets = new Map<string, CommittedOffset>();
  const file = dataDir ? path.join(dataDir, 'consumer-offsets.log') : null;
  const handle = { fd: -1 };

  const apply = (l: Line): void => {
    const k = keyOf(l.g, l.t, l.p);
    if (l.o === null) offsets.delete(k);
    else offsets.set(k, { offset: l.o, metadata: l.m ?? null });
  };

  let writePos = 0;
  let capacity = 0;

  if (file) {
    const raw = fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0);
    // The file is preallocated with zeros; JSON never contains a raw NUL byte.
    const nul = raw.indexOf(0);
    const text = raw.toString('utf8', 0, nul < 0 ? raw.length : nul);
    const lines = text.split('\n');
    let good = 0;
    // Every complete line ends with '\n'; the piece after the last one is a torn write.
    lines.slice(0, -1).forEach((line, i) => {
      try {
        apply(JSON.parse(line) as Line);
        good = i + 1;
      } catch (err) {
        warn(`${file}: skipping unreadable line ${i + 1}: ${(err as Error).message}`);
      }
    });
    const tail = lines[lines.length - 1];
    if (tail.length > 0) warn(`${file}: dropping torn last line (${tail.length} bytes)`);
    writePos = Buffer.byteLength(text) - Buffer.byteLength(tail);
    if (tail.length > 0 || good > 2 * offsets.size + 1000) {
      const tmp = `${file}.tmp`;
      const body = [...offsets.entries()].map(([k, v]) => {
        const [g, t, p] = k.split('\u0000');
        return JSON.stringify({ g, t, p: Number(p), o: v.offset, m: v.metadata }) + '\n';
      });
      fs.writeFileSync(tmp, body.join(''));
      const fd = fs.openSync(tmp, 'r+');
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fs.renameSync(tmp, file);
      writePos = Buffer.byteLength(body.join(''));
    }
    handle.fd = fs.openSync(file, fs.existsSync(file) ? 'r+' : 'w+');
    capacity = fs.fstatSync(handle.fd).size;
  }

  /**
   * Commits overwrite zeros written ahead of time instead of growing the file, so their
   * fdatasync only flushes data blocks and not the file size through the journal, which
   * keeps commit latency low and steady.
   */
  const append = (lines: Line[]): void => {
    if (handle.fd < 0) return;
    const bytes = Buffer.from(lines.map((l) => JSON.stringify(l) + '\n').join(''));
    if (writePos + bytes.length > capacity) {
      const grow = Math.max(PREALLOCATE_BYTES, bytes.length);
      fs.writeSync(handle.fd, Buffer.alloc(grow), 0, grow, capacity);
      capacity += grow;
    }
    let written = 0;
    while (written < bytes.length) {
      written += fs.writeSync(
        handle.fd,
        bytes,
        written,
        bytes.length - written,
        writePos + written,
      );
    }
    writePos += bytes.length;
    flusher.markDirty(handle);
  };

  return {
    get: (g, t, p) => offsets.get(keyOf(g, t, p)),
    listForGroup(group) {
      const out = new Map<string, number[]>();
      for (const k of offsets.keys()) {
        const [g, t, p] = k.split('\u0000');
        if (g !== group) continue;
        const list = out.get(t) ?? [];
        list.push(Number(p));
        out.set(t, list);
      }
      return out;
    },
    groups: () => [...new Set([...offsets.keys()].map((k) => k.split('\u0000')[0]))],
    async commit(group, entries) {
      const lines = entries.map((e) => ({
        g: group,
        t: e.topic,
        p: e.partition,
        o: e.offset,
        m: e.metadata,
      }));
      lines.forEach(apply);
      append(lines);
      await flusher.flush([handle]);
    },
    async forgetTopic(topic) {
      const lines: Line[] = [];
      for (const k of offsets.keys()) {
        const [g, t, p] = k.split('\u0000');
        if (t === topic) lines.push({ g, t, p: Number(p), o: null });
      }
      lines.forEach(apply);
      append(lines);
      await flusher.flush([handle]);
    },
    close() {
      if (handle.fd >= 0) fs.closeSync(handle.fd);
      handle.fd = -1;
    },
  };
}
