// Fuzzing the frame and record decoders. Seeds are real kafkajs request frames,
// recorded through a proxy while kafkajs produces, consumes and administers; cases are
// seeds mutated (bit flips, byte stores, length-field corruption, truncation,
// splicing) plus purely random frames. Decoders may only fail with ProtocolError /
// BatchError, never another exception, and must not hang. Finally a live broker is fed
// mutated frames over TCP and must still serve kafkajs afterwards with no handler errors.

import net from 'node:net';
import { decodeFrame } from '../src/dispatch';
import { ProtocolError } from '../src/protocol/errors';
import {
  BatchError,
  Compression,
  decodeBatch,
  encodeBatch,
  validateBatch,
} from '../src/protocol/record-batch';
import { fastGroup, kafkaFor, start, uniqueName, waitFor } from './helpers';
import type { Broker } from '../src';

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(seed: Buffer, rand: () => number, splice: Buffer): Buffer {
  const buf = Buffer.from(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const ops = 1 + int(4);
  let out = buf;
  for (let i = 0; i < ops && out.length > 0; i++) {
    const pos = int(out.length);
    switch (int(6)) {
      case 0:
        out[pos] ^= 1 << int(8);
        break;
      case 1:
        out[pos] = int(256);
        break;
      case 2: {
        // Corrupt what may be a length or count field with an interesting value.
        const values = [0, -1, 1, 0x7fff, 0x7fffffff, -2147483648, 0xffff, 255];
        if (pos + 4 <= out.length) out.writeInt32BE(values[int(values.length)] | 0, pos);
        else if (pos + 2 <= out.length) out.writeInt16BE(int(65536) - 32768, pos);
        break;
      }
      case 3:
        out = out.subarray(0, pos);
        break;
      case 4:
        out = Buffer.concat([out.subarray(0, pos), splice.subarray(0, int(64)), out.subarray(pos)]);
        break;
      default:
        out = Buffer.concat([out, Buffer.from(Array.from({ length: int(16) }, () => int(256)))]);
    }
  }
  return out;
}

function expectOnlyProtocolErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof ProtocolError) && !(err instanceof BatchError)) throw err;
  }
}

/** Forwards client->broker traffic while recording every request frame. */
async function recordingProxy(targetPort: () => number, frames: Buffer[]) {
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort(), '127.0.0.1');
    let pending = Buffer.alloc(0);
    client.on('data', (d) => {
      upstream.write(d);
      pending = Buffer.concat([pending, d]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        frames.push(Buffer.from(pending.subarray(4, 4 + pending.readInt32BE(0))));
        pending = pending.subarray(4 + pending.readInt32BE(0));
      }
    });
    upstream.on('data', (d) => client.write(d));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as net.AddressInfo).port };
}

async function recordSeeds(): Promise<Buffer[]> {
  const frames: Buffer[] = [];
  let brokerPort = 0;
  const proxy = await recordingProxy(() => brokerPort, frames);
  const broker = await start({ advertisedPort: proxy.port });
  brokerPort = broker.port;
  const viaProxy = { ...broker, address: `127.0.0.1:${proxy.port}` };
  const kafka = kafkaFor(viaProxy);
  const topic = uniqueName('seed');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  await producer.send({
    topic,
    messages: [{ key: 'k', value: 'v', headers: { h: '1' } }, { value: 'w' }],
  });
  const consumer = kafka.consumer(fastGroup(uniqueName('seed-g')));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await consumer.run({ eachMessage: async () => void seen++ });
  await waitFor(() => seen >= 2);
  // Stay in the group long enough for heartbeats and offset commits to be recorded.
  await new Promise((r) => setTimeout(r, 400));
  await admin.describeGroups([uniqueName('x')]);
  await admin.listGroups();
  await admin.fetchTopicOffsets(topic);
  await consumer.disconnect();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  await broker.stop();
  await new Promise<void>((r) => proxy.server.close(() => r()));
  return frames;
}

describe('fuzzing', () => {
  let seeds: Buffer[];
  beforeAll(async () => {
    seeds = await recordSeeds();
  });

  it('records seeds covering every API kafkajs uses', () => {
    const keys = new Set(seeds.map((f) => f.readInt16BE(0)));
    for (const k of [0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 22])
      expect(keys).toContain(k);
  });

  it('survives 100,000 mutated and random request frames in the decoders', () => {
    const rand = rng(0xc0ffee);
    const splice = Buffer.concat(seeds).subarray(0, 4096);
    const started = Date.now();
    let decoded = 0;
    for (let i = 0; i < 100_000; i++) {
      const frame =
        i % 10 === 0
          ? Buffer.from(
              Array.from({ length: Math.floor(rand() * 96) }, () => Math.floor(rand() * 256)),
            )
          : mutate(seeds[Math.floor(rand() * seeds.length)], rand, splice);
      expectOnlyProtocolErrors(() => {
        decodeFrame(frame);
        decoded++;
      });
    }
    expect(decoded).toBeGreaterThan(1000);
    expect(Date.now() - started).toBeLessThan(15000);
  });

  it('survives 30,000 mutated record batches in validation and decoding', () => {
    const rand = rng(42);
    const batches = [
      encodeBatch([
        { key: 'a', value: 'hello', headers: { x: 'y' } },
        { value: Buffer.alloc(100, 1) },
      ]),
      encodeBatch([{ value: 'zipped' }, { key: 'k', value: null }], {
        compression: Compression.gzip,
      }),
      encodeBatch([{ value: '' }], { producerId: 7, producerEpoch: 0, baseSequence: 3 }),
    ];
    for (let i = 0; i < 30_000; i++) {
      const batch = mutate(batches[i % batches.length], rand, batches[0]);
      expectOnlyProtocolErrors(() => validateBatch(batch));
      expectOnlyProtocolErrors(() => decodeBatch(batch));
    }
    expect(validateBatch(batches[1]).recordCount).toBe(2);
  });

  it('keeps serving kafkajs after mutated frames over TCP, without handler errors', async () => {
    const errors: string[] = [];
    const broker: Broker = await start({
      logger: { info: () => undefined, warn: () => undefined, error: (m) => errors.push(m) },
    });
    const rand = rng(7);
    const splice = Buffer.concat(seeds).subarray(0, 4096);
    for (let c = 0; c < 100; c++) {
      const socket = net.connect(broker.port, '127.0.0.1');
      socket.on('error', () => socket.destroy());
      await new Promise<void>((r) => socket.once('connect', () => r()));
      for (let i = 0; i < 50; i++) {
        const frame = mutate(seeds[Math.floor(rand() * seeds.length)], rand, splice);
        const size = Buffer.alloc(4);
        size.writeInt32BE(frame.length);
        socket.write(Buffer.concat([size, frame]));
      }
      await new Promise((r) => setTimeout(r, 5));
      socket.destroy();
    }
    const topic = uniqueName('after-fuzz');
    const producer = kafkaFor(broker).producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'alive' }] });
    await producer.disconnect();
    await broker.stop();
    expect(errors).toEqual([]);
  });
});
