// Record batch (magic 2), the only on-disk and on-wire record format we accept.
//
// RecordBatch =>
//   baseOffset: int64            (rewritten by the broker on append)
//   batchLength: int32           (bytes after this field)
//   partitionLeaderEpoch: int32  (rewritten by the broker on append)
//   magic: int8 (= 2)
//   crc: uint32                  (CRC-32C of everything from attributes to the end)
//   attributes: int16            (bits 0-2 compression, 3 timestamp type, 4 transactional, 5 control)
//   lastOffsetDelta: int32
//   firstTimestamp: int64
//   maxTimestamp: int64
//   producerId: int64
//   producerEpoch: int16
//   baseSequence: int32
//   records: [Record]            (int32 count, then records, compressed as a whole if attributes say so)
//
// Record =>
//   length: varint, attributes: int8, timestampDelta: varlong, offsetDelta: varint,
//   keyLength: varint, key: bytes, valueLength: varint, value: bytes,
//   headers: varint count of [headerKeyLength: varint, key, headerValueLength: varint, value]
//
// On produce we verify the header, the CRC and the record framing but store the batch
// bytes as they came; fetch sends them back untouched. Full decoding exists for
// validation of compressed batches, tests and the fuzzer.

import { gunzipSync, gzipSync } from 'node:zlib';
import { crc32c } from './crc32c';
import { ErrorCode, ProtocolError } from './errors';
import { encodeVarint, encodeVarlong, readVarint, readVarlong } from './varint';

export const BATCH_HEADER_SIZE = 61;
/** Bytes before and including batchLength; batchLength counts what follows. */
export const BATCH_LOG_OVERHEAD = 12;
const CRC_OFFSET = 17;
const ATTRIBUTES_OFFSET = 21;
const RECORDS_COUNT_OFFSET = 57;
/** Bound on gzip inflation so a small compressed batch cannot exhaust memory. */
const MAX_INFLATED = 1 << 28;

export const Compression = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;

export interface BatchHeader {
  baseOffset: number;
  batchLength: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  firstTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

/** Reads the fixed 61-byte header at `pos` without validating anything beyond its length. */
export function readBatchHeader(buf: Buffer, pos = 0): BatchHeader {
  if (buf.length - pos < BATCH_HEADER_SIZE) throw new ProtocolError('truncated batch header');
  return {
    baseOffset: Number(buf.readBigInt64BE(pos)),
    batchLength: buf.readInt32BE(pos + 8),
    magic: buf.readInt8(pos + 16),
    crc: buf.readUInt32BE(pos + CRC_OFFSET),
    attributes: buf.readInt16BE(pos + ATTRIBUTES_OFFSET),
    lastOffsetDelta: buf.readInt32BE(pos + 23),
    firstTimestamp: Number(buf.readBigInt64BE(pos + 27)),
    maxTimestamp: Number(buf.readBigInt64BE(pos + 35)),
    producerId: Number(buf.readBigInt64BE(pos + 43)),
    producerEpoch: buf.readInt16BE(pos + 51),
    baseSequence: buf.readInt32BE(pos + 53),
    recordCount: buf.readInt32BE(pos + RECORDS_COUNT_OFFSET),
  };
}

/** Total size of the batch starting at `pos` (header included), or -1 if the length is not readable. */
export function batchSizeAt(buf: Buffer, pos: number): number {
  if (buf.length - pos < BATCH_LOG_OVERHEAD) return -1;
  return BATCH_LOG_OVERHEAD + buf.readInt32BE(pos + 8);
}

/** Checks the stored CRC-32C against the bytes of the batch at buf[pos, pos+size). */
export function crcMatches(buf: Buffer, pos: number, size: number): boolean {
  return buf.readUInt32BE(pos + CRC_OFFSET) === crc32c(buf, pos + ATTRIBUTES_OFFSET, pos + size);
}

export class BatchError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Validates one incoming batch exactly filling `buf`: header, CRC, compression,
 * and that the record framing matches the declared count. Throws BatchError with
 * the Kafka error code to answer with.
 */
export function validateBatch(buf: Buffer): BatchHeader {
  if (buf.length < BATCH_HEADER_SIZE)
    throw new BatchError(ErrorCode.CORRUPT_MESSAGE, 'short batch');
  const h = readBatchHeader(buf);
  if (h.magic !== 2) {
    throw new BatchError(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, `magic ${h.magic}`);
  }
  if (BATCH_LOG_OVERHEAD + h.batchLength !== buf.length) {
    throw new BatchError(ErrorCode.CORRUPT_MESSAGE, 'batch length does not match record set size');
  }
  if (!crcMatches(buf, 0, buf.length)) throw new BatchError(ErrorCode.CORRUPT_MESSAGE, 'bad CRC');
  if (h.attributes & 0x30) {
    throw new BatchError(ErrorCode.INVALID_RECORD, 'transactional and control batches unsupported');
  }
  if (h.recordCount <= 0 || h.lastOffsetDelta !== h.recordCount - 1) {
    throw new BatchError(ErrorCode.INVALID_RECORD, 'record count and lastOffsetDelta disagree');
  }
  const compression = h.attributes & 0x7;
  let body = buf.subarray(BATCH_HEADER_SIZE);
  if (compression === Compression.gzip) {
    try {
      body = gunzipSync(body, { maxOutputLength: MAX_INFLATED });
    } catch (err) {
      throw new BatchError(ErrorCode.CORRUPT_MESSAGE, `gzip: ${(err as Error).message}`);
    }
  } else if (compression !== Compression.none) {
    throw new BatchError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `compression ${compression}`);
  }
  try {
    checkRecordFraming(body, h.recordCount);
  } catch (err) {
    throw new BatchError(ErrorCode.CORRUPT_MESSAGE, (err as Error).message);
  }
  return h;
}

/** Walks the length prefixes of `count` records; they must fill `body` exactly. */
function checkRecordFraming(body: Buffer, count: number): void {
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const len = readVarint(body, pos);
    if (len.value < 0 || len.next + len.value > body.length)
      throw new ProtocolError('bad record length');
    pos = len.next + len.value;
  }
  if (pos !== body.length) throw new ProtocolError('trailing bytes after records');
}

/** Sets the broker-assigned base offset (outside the CRC) in place. */
export function setBaseOffset(buf: Buffer, pos: number, baseOffset: number): void {
  buf.writeBigInt64BE(BigInt(baseOffset), pos);
  buf.writeInt32BE(0, pos + 12);
}

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface DecodedRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** Fully decodes one batch at buf[0, size): used by tests, the fuzzer and gzip validation. */
export function decodeBatch(buf: Buffer): { header: BatchHeader; records: DecodedRecord[] } {
  const header = readBatchHeader(buf);
  if (header.magic !== 2) throw new ProtocolError(`magic ${header.magic}`);
  const end = BATCH_LOG_OVERHEAD + header.batchLength;
  if (header.batchLength < BATCH_HEADER_SIZE - BATCH_LOG_OVERHEAD || end > buf.length) {
    throw new ProtocolError('bad batch length');
  }
  let body = buf.subarray(BATCH_HEADER_SIZE, end);
  const compression = header.attributes & 0x7;
  if (compression === Compression.gzip) {
    try {
      body = gunzipSync(body, { maxOutputLength: MAX_INFLATED });
    } catch (err) {
      throw new ProtocolError(`gzip: ${(err as Error).message}`);
    }
  } else if (compression !== Compression.none) throw new ProtocolError('unsupported compression');
  if (header.recordCount < 0 || header.recordCount > body.length) {
    throw new ProtocolError('bad record count');
  }
  const records: DecodedRecord[] = [];
  let pos = 0;
  const nullableBytes = (): Buffer | null => {
    const len = readVarint(body, pos);
    pos = len.next;
    if (len.value < 0) return null;
    if (pos + len.value > body.length) throw new ProtocolError('truncated record field');
    const out = body.subarray(pos, pos + len.value);
    pos += len.value;
    return out;
  };
  for (let i = 0; i < header.recordCount; i++) {
    const len = readVarint(body, pos);
    const recordEnd = len.next + len.value;
    if (len.value < 0 || recordEnd > body.length) throw new ProtocolError('bad record length');
    pos = len.next + 1; // skip record attributes
    const tsDelta = readVarlong(body, pos);
    const offDelta = readVarint(body, tsDelta.next);
    pos = offDelta.next;
    const key = nullableBytes();
    const value = nullableBytes();
    const headerCount = readVarint(body, pos);
    pos = headerCount.next;
    if (headerCount.value < 0 || headerCount.value > recordEnd - pos) {
      throw new ProtocolError('bad header count');
    }
    const headers: RecordHeader[] = [];
    for (let j = 0; j < headerCount.value; j++) {
      const k = nullableBytes();
      headers.push({ key: k ? k.toString('utf8') : '', value: nullableBytes() });
    }
    if (pos !== recordEnd) throw new ProtocolError('record length mismatch');
    records.push({
      offset: header.baseOffset + offDelta.value,
      timestamp: header.firstTimestamp + tsDelta.value,
      key,
      value,
      headers,
    });
  }
  return { header, records };
}

export interface EncodeBatchOptions {
  baseOffset?: number;
  timestamp?: number;
  compression?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
}

export interface RecordInput {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, string>;
}

const toBuf = (v: Buffer | string | null | undefined): Buffer | null =>
  v === null || v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(v);

const lenPrefixed = (b: Buffer | null): Buffer[] =>
  b === null ? [encodeVarint(-1)] : [encodeVarint(b.length), b];

/** Encodes a record batch; used by tests and tools (clients encode their own batches). */
export function encodeBatch(records: RecordInput[], opts: EncodeBatchOptions = {}): Buffer {
  const ts = opts.timestamp ?? Date.now();
  const body = Buffer.concat(
    records.map((r, i) => {
      const headers = Object.entries(r.headers ?? {});
      const inner = Buffer.concat([
        Buffer.from([0]),
        encodeVarlong(0),
        encodeVarint(i),
        ...lenPrefixed(toBuf(r.key)),
        ...lenPrefixed(toBuf(r.value)),
        encodeVarint(headers.length),
        ...headers.flatMap(([k, v]) => [
          ...lenPrefixed(Buffer.from(k)),
          ...lenPrefixed(Buffer.from(v)),
        ]),
      ]);
      return Buffer.concat([encodeVarint(inner.length), inner]);
    }),
  );
  const compression = opts.compression ?? Compression.none;
  const payload = compression === Compression.gzip ? gzipSync(body) : body;
  const buf = Buffer.alloc(BATCH_HEADER_SIZE + payload.length);
  buf.writeBigInt64BE(BigInt(opts.baseOffset ?? 0), 0);
  buf.writeInt32BE(buf.length - BATCH_LOG_OVERHEAD, 8);
  buf.writeInt32BE(0, 12);
  buf.writeInt8(2, 16);
  buf.writeInt16BE(compression, ATTRIBUTES_OFFSET);
  buf.writeInt32BE(records.length - 1, 23);
  buf.writeBigInt64BE(BigInt(ts), 27);
  buf.writeBigInt64BE(BigInt(ts), 35);
  buf.writeBigInt64BE(BigInt(opts.producerId ?? -1), 43);
  buf.writeInt16BE(opts.producerEpoch ?? -1, 51);
  buf.writeInt32BE(opts.baseSequence ?? -1, 53);
  buf.writeInt32BE(records.length, RECORDS_COUNT_OFFSET);
  payload.copy(buf, BATCH_HEADER_SIZE);
  buf.writeUInt32BE(crc32c(buf, ATTRIBUTES_OFFSET), CRC_OFFSET);
  return buf;
}
