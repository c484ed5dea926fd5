// Response builder. Scalars go into a growing scratch buffer; large byte blobs
// (fetched record batches) are kept as separate chunks so they reach the socket
// without being copied.

// Below half of Buffer.poolSize, so scratch buffers come from the shared pool.
const SCRATCH = 1024;
/** Blobs at least this big are passed through by reference instead of copied. */
const ZERO_COPY_MIN = 1024;

export interface Writer {
  int8(v: number): Writer;
  int16(v: number): Writer;
  int32(v: number): Writer;
  int64(v: number | bigint): Writer;
  string(v: string): Writer;
  nullableString(v: string | null): Writer;
  bytes(v: Buffer): Writer;
  nullableBytes(v: Buffer | null): Writer;
  /** Raw bytes with no length prefix. */
  raw(v: Buffer): Writer;
  array<T>(items: readonly T[], item: (w: Writer, v: T) => void): Writer;
  nullableArray<T>(items: readonly T[] | null, item: (w: Writer, v: T) => void): Writer;
  /** Total bytes written so far. */
  size(): number;
  /** The written chunks, in order. */
  chunks(): Buffer[];
}

export function createWriter(): Writer {
  const done: Buffer[] = [];
  let doneBytes = 0;
  let cur = Buffer.allocUnsafe(SCRATCH);
  let pos = 0;

  const flushCur = (): void => {
    if (pos === 0) return;
    done.push(cur.subarray(0, pos));
    doneBytes += pos;
    cur = cur.subarray(pos);
    pos = 0;
  };
  const ensure = (n: number): void => {
    if (pos + n <= cur.length) return;
    flushCur();
    if (cur.length < n) cur = Buffer.allocUnsafe(Math.max(SCRATCH, n));
  };

  const w: Writer = {
    int8(v) {
      ensure(1);
      cur.writeInt8(v, pos);
      pos += 1;
      return w;
    },
    int16(v) {
      ensure(2);
      cur.writeInt16BE(v, pos);
      pos += 2;
      return w;
    },
    int32(v) {
      ensure(4);
      cur.writeInt32BE(v, pos);
      pos += 4;
      return w;
    },
    int64(v) {
      ensure(8);
      cur.writeBigInt64BE(BigInt(v), pos);
      pos += 8;
      return w;
    },
    string(v) {
      const len = Buffer.byteLength(v);
      ensure(2 + len);
      cur.writeInt16BE(len, pos);
      cur.write(v, pos + 2, 'utf8');
      pos += 2 + len;
      return w;
    },
    nullableString(v) {
      return v === null ? w.int16(-1) : w.string(v);
    },
    bytes(v) {
      w.int32(v.length);
      return w.raw(v);
    },
    nullableBytes(v) {
      return v === null ? w.int32(-1) : w.bytes(v);
    },
    raw(v) {
      if (v.length >= ZERO_COPY_MIN) {
        flushCur();
        done.push(v);
        doneBytes += v.length;
        return w;
      }
      ensure(v.length);
      v.copy(cur, pos);
      pos += v.length;
      return w;
    },
    array(items, item) {
      w.int32(items.length);
      for (const v of items) item(w, v);
      return w;
    },
    nullableArray(items, item) {
      return items === null ? w.int32(-1) : w.array(items, item);
    },
    size: () => doneBytes + pos,
    chunks() {
      flushCur();
      return done;
    },
  };
  return w;
}
