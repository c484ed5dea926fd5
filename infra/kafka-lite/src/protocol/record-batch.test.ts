import { Compression, decodeBatch, encodeBatch, validateBatch, BatchError } from './record-batch';
import { ErrorCode } from './errors';
import { crc32c } from './crc32c';

describe('record batch', () => {
  const records = [
    { key: 'k1', value: 'v1', headers: { h: 'x' } },
    { key: null, value: Buffer.alloc(300, 7) },
    { key: 'k3', value: null },
  ];

  it.each([Compression.none, Compression.gzip])(
    'round-trips with compression %d',
    (compression) => {
      const buf = encodeBatch(records, { baseOffset: 42, timestamp: 1000, compression });
      const header = validateBatch(buf);
      expect(header.recordCount).toBe(3);
      const { records: out } = decodeBatch(buf);
      expect(out.map((r) => r.offset)).toEqual([42, 43, 44]);
      expect(out[0].key?.toString()).toBe('k1');
      expect(out[0].headers).toEqual([{ key: 'h', value: Buffer.from('x') }]);
      expect(out[1].key).toBeNull();
      expect(out[1].value).toEqual(Buffer.alloc(300, 7));
      expect(out[2].value).toBeNull();
      expect(out.every((r) => r.timestamp === 1000)).toBe(true);
    },
  );

  it('rejects a flipped bit with CORRUPT_MESSAGE', () => {
    const buf = encodeBatch(records);
    buf[buf.length - 3] ^= 1;
    expect(() => validateBatch(buf)).toThrow(
      expect.objectContaining({ code: ErrorCode.CORRUPT_MESSAGE }),
    );
  });

  it('rejects unsupported compression with its own error code', () => {
    const buf = encodeBatch(records, { compression: Compression.snappy });
    let error: unknown;
    try {
      validateBatch(buf);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BatchError);
    expect((error as BatchError).code).toBe(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  });

  it('rejects a count that does not match the records', () => {
    const buf = encodeBatch(records);
    buf.writeInt32BE(2, 57);
    buf.writeInt32BE(1, 23);
    // Re-sign so only the framing check can catch it.
    buf.writeUInt32BE(crc32c(buf, 21), 17);
    expect(() => validateBatch(buf)).toThrow(
      expect.objectContaining({ code: ErrorCode.CORRUPT_MESSAGE }),
    );
  });
});
