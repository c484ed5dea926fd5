// Shared test helpers: brokers on ephemeral ports, kafkajs clients with quiet logs and
// fast group settings, unique topic names, and a raw protocol client.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type ConsumerConfig } from 'kafkajs';
import { startBroker, type Broker, type BrokerOptions } from '../src';
import { createWriter, type Writer } from '../src/protocol/writer';

export const silentLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

let counter = 0;
export const uniqueName = (prefix: string): string =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;

export const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-lite-test-'));

export function start(opts: Partial<BrokerOptions> = {}): Promise<Broker> {
  return startBroker({ port: 0, inMemory: !opts.dataDir, logger: silentLogger, ...opts });
}

export const kafkaFor = (broker: Broker): Kafka =>
  new Kafka({
    clientId: 'kafka-lite-test',
    brokers: [broker.address],
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 50, maxRetryTime: 500 },
  });

/** Consumer settings that make kafkajs groups settle in well under a second. */
export const fastGroup = (groupId: string): ConsumerConfig => ({
  groupId,
  sessionTimeout: 1500,
  rebalanceTimeout: 2000,
  heartbeatInterval: 100,
  maxWaitTimeInMs: 100,
  retry: { retries: 10, initialRetryTime: 50, maxRetryTime: 300 },
});

export async function waitFor(
  cond: () => boolean,
  timeoutMs = 15000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface RawClient {
  /** Sends a request and resolves with the response body (after the correlation id). */
  request(apiKey: number, version: number, body: (w: Writer) => void): Promise<Buffer>;
  sendRaw(bytes: Buffer): void;
  /** Resolves when the server closes the connection. */
  closed: Promise<void>;
  close(): void;
}

export function rawClient(broker: Broker): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(broker.port, broker.host);
    const waiting = new Map<number, (b: Buffer) => void>();
    let buf = Buffer.alloc(0);
    let nextId = 1;
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        const size = buf.readInt32BE(0);
        const frame = buf.subarray(4, 4 + size);
        buf = buf.subarray(4 + size);
        const id = frame.readInt32BE(0);
        waiting.get(id)?.(frame.subarray(4));
        waiting.delete(id);
      }
    });
    socket.on('error', () => socket.destroy());
    socket.once('connect', () =>
      resolve({
        request(apiKey, version, body) {
          const id = nextId++;
          const w = createWriter().int16(apiKey).int16(version).int32(id).nullableString('raw');
          body(w);
          const payload = Buffer.concat(w.chunks());
          const size = Buffer.alloc(4);
          size.writeInt32BE(payload.length);
          socket.write(Buffer.concat([size, payload]));
          return new Promise((res, rej) => {
            waiting.set(id, res);
            closed.then(() => rej(new Error('connection closed')), rej);
          });
        },
        sendRaw: (bytes) => socket.write(bytes),
        closed,
        close: () => socket.destroy(),
      }),
    );
    socket.once('error', reject);
  });
}
