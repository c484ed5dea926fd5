// Zigzag varints as used inside Kafka records (protobuf-style, signed).
// Records cap varints at 5 bytes (int32) and varlongs at 10 bytes; longer is corrupt.

import { ProtocolError } from './errors';

export interface VarintResult {
  value: number;
  next: number;
}

/** Decodes a zigzag varint (int32) at `pos`. Throws ProtocolError when truncated or too long. */
export function readVarint(buf: Uint8Array, pos: number): VarintResult {
  let raw = 0;
  let shift = 0;
  for (let i = 0; i < 5; i++) {
    if (pos >= buf.length) throw new ProtocolError('truncated varint');
    const b = buf[pos++];
    raw |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return { value: (raw >>> 1) ^ -(raw & 1), next: pos };
    shift += 7;
  }
  throw new ProtocolError('varint too long');
}

/** Decodes a zigzag varlong; values beyond 2^53 lose precision, which no field we use needs. */
export function readVarlong(buf: Uint8Array, pos: number): VarintResult {
  let raw = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new ProtocolError('truncated varlong');
    const b = buf[pos++];
    raw |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return { value: Number((raw >> 1n) ^ -(raw & 1n)), next: pos };
    shift += 7n;
  }
  throw new ProtocolError('varlong too long');
}

/** Encodes a zigzag varint (int32). */
export function encodeVarint(value: number): Buffer {
  let raw = ((value << 1) ^ (value >> 31)) >>> 0;
  const out: number[] = [];
  while (raw > 0x7f) {
    out.push((raw & 0x7f) | 0x80);
    raw >>>= 7;
  }
  out.push(raw);
  return Buffer.from(out);
}

/** Encodes a zigzag varlong. */
export function encodeVarlong(value: number | bigint): Buffer {
  const v = BigInt(value);
  let raw = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
  const out: number[] = [];
  while (raw > 0x7fn) {
    out.push(Number(raw & 0x7fn) | 0x80);
    raw >>= 7n;
  }
  out.push(Number(raw));
  return Buffer.from(out);
}
