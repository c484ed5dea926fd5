// Consumer group rebalancing with kafkajs: three members split six partitions; one is
// killed (no LeaveGroup), its session expires, and the survivors take over its
// partitions without losing a message.

import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Consumer } from 'kafkajs';
import type { Broker } from '../src';
import { fastGroup, kafkaFor, start, uniqueName, waitFor } from './helpers';

const repoRoot = path.resolve(__dirname, '../../..');

describe('consumer group', () => {
  let broker: Broker;
  let child: ChildProcess | null = null;
  const consumers: Consumer[] = [];

  beforeAll(async () => {
    broker = await start();
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await Promise.all(consumers.map((c) => c.disconnect()));
    await broker.stop();
  });

  it('splits 6 partitions over 3 members and survives one being killed', async () => {
    const topic = uniqueName('grp');
    const groupId = uniqueName('grp-g');
    const kafka = kafkaFor(broker);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 6 }] });
    await admin.disconnect();

    const seen = new Set<string>();
    const assignments = new Map<string, number[]>();

    child = fork(
      path.join(__dirname, 'fixtures/consumer-child.ts'),
      [broker.address, topic, groupId],
      {
        cwd: repoRoot,
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      },
    );
    child.on('message', (msg: { kind: string; value?: string; partitions?: number[] }) => {
      if (msg.kind === 'message') seen.add(msg.value as string);
      else assignments.set('child', msg.partitions as number[]);
    });

    for (const name of ['a', 'b']) {
      const consumer = kafka.consumer(fastGroup(groupId));
      consumers.push(consumer);
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        assignments.set(name, e.payload.memberAssignment[topic] ?? []);
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => void seen.add(String(message.value)),
      });
    }

    const sizes = (names: string[]) => names.map((n) => assignments.get(n)?.length ?? 0);
    await waitFor(
      () => assignments.size === 3 && sizes(['a', 'b', 'child']).every((n) => n === 2),
      20000,
      'three-way split',
    );
    expect(new Set([...assignments.values()].flat()).size).toBe(6);

    const producer = kafka.producer();
    await producer.connect();
    const send = (from: number) =>
      producer.send({
        topic,
        messages: Array.from({ length: 300 }, (_, i) => ({
          partition: i % 6,
          value: String(from + i),
        })),
      });
    await send(0);
    await waitFor(() => seen.size >= 300, 15000, 'first 300 messages');

    child.kill('SIGKILL');
    await send(300);
    await waitFor(() => sizes(['a', 'b']).every((n) => n === 3), 20000, 'survivors to take over');
    await waitFor(() => seen.size >= 600, 15000, 'all 600 messages');
    await producer.disconnect();
    expect([...seen].map(Number).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 600 }, (_, i) => i),
    );
    expect(new Set([...(assignments.get('a') ?? []), ...(assignments.get('b') ?? [])]).size).toBe(
      6,
    );
  });
});
