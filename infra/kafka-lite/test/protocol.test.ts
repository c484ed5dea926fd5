// Raw wire-protocol tests: version negotiation, idempotent producer sequencing,
// long-poll timing, and bad input that must only affect the offending connection.

import type { Broker } from '../src';
import { ErrorCode } from '../src/protocol/errors';
import { Compression, encodeBatch } from '../src/protocol/record-batch';
import { createReader, type Reader } from '../src/protocol/reader';
import { kafkaFor, rawClient, start, uniqueName, type RawClient } from './helpers';

const PRODUCE = 0;
const FETCH = 1;
const LIST_OFFSETS = 2;
const METADATA = 3;
const API_VERSIONS = 18;
const INIT_PRODUCER_ID = 22;

async function produce(client: RawClient, topic: string, records: Buffer, acks = -1) {
  const body = await client.request(PRODUCE, 7, (w) => {
    w.nullableString(null).int16(acks).int32(5000);
    w.array([topic], (w, t) => {
      w.string(t);
      w.array([0], (w, p) => w.int32(p).bytes(records));
    });
  });
  const r = createReader(body);
  r.int32();
  r.string();
  r.int32();
  return { partition: r.int32(), errorCode: r.int16(), baseOffset: r.int64() };
}

async function fetchOnce(client: RawClient, topic: string, offset: number, maxWaitMs: number) {
  const body = await client.request(FETCH, 11, (w) => {
    w.int32(-1)
      .int32(maxWaitMs)
      .int32(1)
      .int32(1 << 20)
      .int8(0)
      .int32(0)
      .int32(-1);
    w.array([topic], (w, t) => {
      w.string(t);
      w.array([0], (w, p) =>
        w
          .int32(p)
          .int32(-1)
          .int64(offset)
          .int64(-1)
          .int32(1 << 20),
      );
    });
    w.array([], () => undefined).string('');
  });
  const r = createReader(body);
  r.int32();
  const errorCode = r.int16();
  r.int32();
  r.int32();
  r.string();
  r.int32();
  r.int32();
  const partitionError = r.int16();
  const highWatermark = r.int64();
  return { errorCode, partitionError, highWatermark };
}

const ranges = (r: Reader) =>
  r.array((r) => ({ apiKey: r.int16(), min: r.int16(), max: r.int16() }));

describe('wire protocol', () => {
  let broker: Broker;
  beforeAll(async () => {
    broker = await start({ maxFrameBytes: 1024 * 1024 });
  });
  afterAll(() => broker.stop());

  it('answers an ApiVersions probe above its range in the v0 form with UNSUPPORTED_VERSION', async () => {
    const client = await rawClient(broker);
    const body = await client.request(API_VERSIONS, 3, (w) => w.int8(0).int8(0).int8(0));
    const r = createReader(body);
    expect(r.int16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
    const apis = ranges(r);
    expect(r.remaining()).toBe(0);
    expect(apis).toEqual(
      expect.arrayContaining([
        { apiKey: PRODUCE, min: 3, max: 8 },
        { apiKey: FETCH, min: 4, max: 11 },
        { apiKey: API_VERSIONS, min: 0, max: 2 },
      ]),
    );
    const ok = createReader(await client.request(API_VERSIONS, 2, () => undefined));
    expect(ok.int16()).toBe(ErrorCode.NONE);
    expect(ranges(ok)).toEqual(apis);
    client.close();
  });

  it('answers a known API at an unsupported version with an error, keeping the connection', async () => {
    const client = await rawClient(broker);
    const body = await client.request(PRODUCE, 2, (w) => w.int16(1));
    expect(body.readInt16BE(0)).toBe(ErrorCode.UNSUPPORTED_VERSION);
    const meta = await client.request(METADATA, 1, (w) => w.int32(-1));
    expect(meta.length).toBeGreaterThan(0);
    client.close();
  });

  it('drops an idempotent retry and rejects out-of-order sequences', async () => {
    const client = await rawClient(broker);
    const topic = uniqueName('idem');
    const init = createReader(
      await client.request(INIT_PRODUCER_ID, 1, (w) => w.nullableString(null).int32(60000)),
    );
    init.int32();
    expect(init.int16()).toBe(ErrorCode.NONE);
    const producerId = init.int64();
    const batch = (seq: number) =>
      encodeBatch(
        Array.from({ length: 5 }, (_, i) => ({ value: `v${seq + i}` })),
        { producerId, producerEpoch: 0, baseSequence: seq },
      );

    expect(await produce(client, topic, batch(0))).toMatchObject({ errorCode: 0, baseOffset: 0 });
    expect(await produce(client, topic, batch(0))).toMatchObject({ errorCode: 0, baseOffset: 0 });
    expect(await produce(client, topic, batch(5))).toMatchObject({ errorCode: 0, baseOffset: 5 });
    expect(await produce(client, topic, batch(5))).toMatchObject({ errorCode: 0, baseOffset: 5 });
    expect(await produce(client, topic, batch(20))).toMatchObject({
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    });
    const stale = encodeBatch([{ value: 'x' }], { producerId, producerEpoch: 0, baseSequence: 10 });
    expect(await produce(client, topic, stale)).toMatchObject({ errorCode: 0, baseOffset: 10 });

    const offsets = createReader(
      await client.request(LIST_OFFSETS, 2, (w) => {
        w.int32(-1).int8(0);
        w.array([topic], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).int64(-1)));
      }),
    );
    offsets.int32();
    offsets.int32();
    offsets.string();
    offsets.int32();
    offsets.int32();
    expect(offsets.int16()).toBe(0);
    offsets.int64();
    expect(offsets.int64()).toBe(11);
    client.close();
  });

  it('rejects bad CRCs and unsupported compression per partition, keeping the connection', async () => {
    const client = await rawClient(broker);
    const topic = uniqueName('bad');
    const corrupt = encodeBatch([{ value: 'hello' }]);
    corrupt[corrupt.length - 1] ^= 0x55;
    expect(await produce(client, topic, corrupt)).toMatchObject({
      errorCode: ErrorCode.CORRUPT_MESSAGE,
    });
    const snappy = encodeBatch([{ value: 'hello' }], { compression: Compression.snappy });
    expect(await produce(client, topic, snappy)).toMatchObject({
      errorCode: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
    });
    expect(await produce(client, topic, encodeBatch([{ value: 'ok' }]), 1)).toMatchObject({
      errorCode: 0,
      baseOffset: 0,
    });
    client.close();
  });

  it('appends acks=0 batches without answering them', async () => {
    const client = await rawClient(broker);
    const topic = uniqueName('acks0');
    const noAnswer = produce(client, topic, encodeBatch([{ value: 'fire and forget' }]), 0);
    const second = await produce(client, topic, encodeBatch([{ value: 'acked' }]), 1);
    expect(second).toMatchObject({ errorCode: 0, baseOffset: 1 });
    client.close();
    await expect(noAnswer).rejects.toThrow('connection closed');
  });

  it('holds an empty fetch for max_wait_ms, and answers early when data arrives', async () => {
    const client = await rawClient(broker);
    const topic = uniqueName('wait');
    await produce(client, topic, encodeBatch([{ value: 'first' }]));
    const t0 = Date.now();
    const empty = await fetchOnce(client, topic, 1, 400);
    const waited = Date.now() - t0;
    expect(empty).toMatchObject({ errorCode: 0, partitionError: 0, highWatermark: 1 });
    expect(waited).toBeGreaterThanOrEqual(380);
    expect(waited).toBeLessThan(1500);

    const other = await rawClient(broker);
    const t1 = Date.now();
    const pending = fetchOnce(client, topic, 1, 5000);
    setTimeout(() => void produce(other, topic, encodeBatch([{ value: 'second' }])), 100);
    expect(await pending).toMatchObject({ partitionError: 0, highWatermark: 2 });
    expect(Date.now() - t1).toBeLessThan(2000);
    expect(await fetchOnce(client, topic, 5, 0)).toMatchObject({
      partitionError: ErrorCode.OFFSET_OUT_OF_RANGE,
    });
    client.close();
    other.close();
  });

  it('closes only the connection that sends an unknown API key, garbage or an oversized frame', async () => {
    const producer = kafkaFor(broker).producer();
    await producer.connect();
    const topic = uniqueName('survivor');
    const bad: Buffer[] = [
      Buffer.from([0, 0, 0, 10, 0x7f, 0x7f, 0, 0, 0, 1, 0, 0, 0, 0]),
      Buffer.from([0, 0, 0, 3, 1, 2, 3]),
      Buffer.from([0, 0, 0, 12, 0, 0, 0, 7, 0, 0, 0, 1, 0x7f, 0x7f, 0xff, 0xff]),
      Buffer.from([0x7f, 0xff, 0xff, 0xff, 1, 2, 3]),
      Buffer.from([0xff, 0xff, 0xff, 0xfe]),
    ];
    for (const bytes of bad) {
      const client = await rawClient(broker);
      client.sendRaw(bytes);
      await expect(client.closed).resolves.toBeUndefined();
      await producer.send({ topic, messages: [{ value: 'still fine' }] });
    }
    const unknown = await rawClient(broker);
    await expect(unknown.request(1000, 0, () => undefined)).rejects.toThrow('connection closed');
    await producer.send({ topic, messages: [{ value: 'still fine' }] });
    await producer.disconnect();
  });
});
