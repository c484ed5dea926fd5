import { encodeVarint, encodeVarlong, readVarint, readVarlong } from './varint';
import { ProtocolError } from './errors';

describe('zigzag varints', () => {
  it('encodes known values', () => {
    expect([...encodeVarint(0)]).toEqual([0]);
    expect([...encodeVarint(-1)]).toEqual([1]);
    expect([...encodeVarint(1)]).toEqual([2]);
    expect([...encodeVarint(-64)]).toEqual([0x7f]);
    expect([...encodeVarint(64)]).toEqual([0x80, 0x01]);
    expect([...encodeVarint(2147483647)]).toEqual([0xfe, 0xff, 0xff, 0xff, 0x0f]);
    expect([...encodeVarint(-2147483648)]).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
  });

  it('round-trips int32 and int64 ranges', () => {
    for (const v of [0, 1, -1, 63, -64, 300, -300, 65535, 2 ** 31 - 1, -(2 ** 31)]) {
      expect(readVarint(encodeVarint(v), 0)).toEqual({ value: v, next: encodeVarint(v).length });
    }
    for (const v of [
      0,
      -1,
      1,
      2 ** 40,
      -(2 ** 40),
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
    ]) {
      expect(readVarlong(encodeVarlong(v), 0).value).toBe(v);
    }
  });

  it('rejects truncated and overlong input', () => {
    expect(() => readVarint(Buffer.from([0x80]), 0)).toThrow(ProtocolError);
    expect(() => readVarint(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), 0)).toThrow(
      ProtocolError,
    );
    expect(() => readVarlong(Buffer.alloc(11, 0x80), 0)).toThrow(ProtocolError);
  });
});
