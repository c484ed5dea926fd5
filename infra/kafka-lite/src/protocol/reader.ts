// Bounds-checked reader for the classic (non-flexible) Kafka encodings.
// Every read checks the remaining length first so a malformed frame raises a
// ProtocolError instead of reading garbage or throwing a RangeError deep inside Buffer.

import { ProtocolError } from './errors';

/** Arrays longer than this cannot fit in any frame we accept; rejecting early bounds allocation. */
const MAX_ARRAY_LENGTH = 1 << 24;

export interface Reader {
  readonly buffer: Buffer;
  offset: number;
  remaining(): number;
  int8(): number;
  int16(): number;
  int32(): number;
  uint32(): number;
  int64(): number;
  string(): string;
  nullableString(): string | null;
  bytes(): Buffer;
  nullableBytes(): Buffer | null;
  array<T>(item: (r: Reader) => T): T[];
  nullableArray<T>(item: (r: Reader) => T): T[] | null;
}

export function createReader(buffer: Buffer, start = 0): Reader {
  const need = (n: number): void => {
    if (r.offset + n > buffer.length) {
      throw new ProtocolError(`truncated: need ${n} bytes at ${r.offset} of ${buffer.length}`);
    }
  };
  const r: Reader = {
    buffer,
    offset: start,
    remaining: () => buffer.length - r.offset,
    int8() {
      need(1);
      return buffer.readInt8(r.offset++);
    },
    int16() {
      need(2);
      const v = buffer.readInt16BE(r.offset);
      r.offset += 2;
      return v;
    },
    int32() {
      need(4);
      const v = buffer.readInt32BE(r.offset);
      r.offset += 4;
      return v;
    },
    uint32() {
      need(4);
      const v = buffer.readUInt32BE(r.offset);
      r.offset += 4;
      return v;
    },
    int64() {
      need(8);
      // Offsets and timestamps stay far below 2^53, so a JS number is exact.
      const v = Number(buffer.readBigInt64BE(r.offset));
      r.offset += 8;
      return v;
    },
    string() {
      const s = r.nullableString();
      if (s === null) throw new ProtocolError('unexpected null string');
      return s;
    },
    nullableString() {
      const len = r.int16();
      if (len < 0) return null;
      need(len);
      const s = buffer.toString('utf8', r.offset, r.offset + len);
      r.offset += len;
      return s;
    },
    bytes() {
      const b = r.nullableBytes();
      return b ?? Buffer.alloc(0);
    },
    nullableBytes() {
      const len = r.int32();
      if (len < 0) return null;
      need(len);
      const b = buffer.subarray(r.offset, r.offset + len);
      r.offset += len;
      return b;
    },
    array<T>(item: (r: Reader) => T): T[] {
      return r.nullableArray(item) ?? [];
    },
    nullableArray<T>(item: (r: Reader) => T): T[] | null {
      const len = r.int32();
      if (len < 0) return null;
      // Each element takes at least one byte, so a longer count is necessarily truncated.
      if (len > MAX_ARRAY_LENGTH || len > r.remaining()) {
        throw new ProtocolError(`array length ${len} exceeds frame`);
      }
      const out = new Array<T>(len);
      for (let i = 0; i < len; i++) out[i] = item(r);
      return out;
    },
  };
  return r;
}
