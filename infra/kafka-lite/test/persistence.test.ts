// Persistent mode: acknowledged records and committed offsets survive a clean stop and
// a SIGKILL of a standalone broker process; the standalone CLI reports its address,
// refuses a busy port by name, and exits cleanly on SIGTERM.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { fastGroup, start, tempDir, uniqueName, waitFor } from './helpers';

const repoRoot = path.resolve(__dirname, '../../..');
const mainTs = path.join(__dirname, '../src/main.ts');

interface Standalone {
  proc: ChildProcess;
  address: Promise<string>;
  output: () => string;
  exit: Promise<number | null>;
}

function runStandalone(args: string[]): Standalone {
  const proc = spawn(process.execPath, ['--import', 'tsx', mainTs, ...args], { cwd: repoRoot });
  let out = '';
  const address = new Promise<string>((resolve) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  });
  const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, address, output: () => out, exit };
}

const kafka = (address: string) =>
  new Kafka({
    brokers: [address],
    logLevel: logLevel.NOTHING,
    retry: { retries: 3, initialRetryTime: 50 },
  });

async function produceAndCommit(address: string, topic: string, groupId: string): Promise<void> {
  const client = kafka(address);
  const producer = client.producer({ idempotent: true });
  await producer.connect();
  for (let i = 0; i < 20; i++) {
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 10 }, (_, j) => ({ key: `k${j}`, value: `${i * 10 + j}` })),
    });
  }
  await producer.disconnect();
  const consumer = client.consumer(fastGroup(groupId));
  let consumed = 0;
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ autoCommit: false, eachMessage: async () => void consumed++ });
  await waitFor(() => consumed >= 200, 15000, '200 messages before restart');
  await consumer.commitOffsets([
    { topic, partition: 0, offset: '7' },
    { topic, partition: 1, offset: '3' },
  ]);
  await consumer.disconnect();
}

async function verify(address: string, topic: string, groupId: string): Promise<void> {
  const client = kafka(address);
  const admin = client.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(200);
  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  const parts = committed[0].partitions;
  expect(parts.find((p) => p.partition === 0)?.offset).toBe('7');
  expect(parts.find((p) => p.partition === 1)?.offset).toBe('3');
  await admin.disconnect();
  const consumer = client.consumer(fastGroup(uniqueName('verify')));
  const values = new Set<string>();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => void values.add(String(message.value)),
  });
  await waitFor(() => values.size >= 200, 15000, '200 messages after restart');
  await consumer.disconnect();
  expect(values.size).toBe(200);
}

describe('persistence', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('keeps acknowledged messages and committed offsets across a clean restart', async () => {
    const dataDir = newDir();
    const topic = uniqueName('persist');
    const groupId = uniqueName('persist-g');
    const first = await start({ dataDir });
    await produceAndCommit(first.address, topic, groupId);
    await first.stop();
    const second = await start({ dataDir });
    await expect(verify(second.address, topic, groupId)).resolves.toBeUndefined();
    await second.stop();
  });

  it('keeps them when a standalone broker is killed with SIGKILL', async () => {
    const dataDir = newDir();
    const topic = uniqueName('crash');
    const groupId = uniqueName('crash-g');
    const first = runStandalone(['--port', '0', '--data-dir', dataDir, '--quiet']);
    await produceAndCommit(await first.address, topic, groupId);
    first.proc.kill('SIGKILL');
    await first.exit;
    const second = runStandalone(['--port', '0', '--data-dir', dataDir, '--quiet']);
    await expect(verify(await second.address, topic, groupId)).resolves.toBeUndefined();
    second.proc.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  });

  it('names the port when it is already in use', async () => {
    const holder = await start();
    await expect(start({ port: holder.port })).rejects.toThrow(
      `port ${holder.port} is already in use`,
    );
    const cli = runStandalone(['--port', String(holder.port), '--in-memory']);
    expect(await cli.exit).toBe(1);
    expect(cli.output()).toContain(`port ${holder.port} is already in use`);
    await holder.stop();
  });
});
