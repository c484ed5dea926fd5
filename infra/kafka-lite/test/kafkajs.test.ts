// kafkajs against the broker over TCP: produce/consume semantics and admin operations.

import { CompressionTypes, type EachMessagePayload } from 'kafkajs';
import type { Broker } from '../src';
import { fastGroup, kafkaFor, start, uniqueName, waitFor } from './helpers';

describe('kafkajs client', () => {
  let broker: Broker;
  beforeAll(async () => {
    broker = await start({ defaultPartitions: 3, retentionCheckIntervalMs: 50 });
  });
  afterAll(() => broker.stop());

  async function consumeAll(topic: string, expected: number, groupId = uniqueName('g')) {
    const consumer = kafkaFor(broker).consumer(fastGroup(groupId));
    const seen: EachMessagePayload[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async (m) => void seen.push(m) });
    await waitFor(() => seen.length >= expected, 15000, `${expected} messages`);
    await consumer.disconnect();
    return seen;
  }

  it('keeps per-partition order across many sends', async () => {
    const topic = uniqueName('order');
    const producer = kafkaFor(broker).producer();
    await producer.connect();
    for (let batch = 0; batch < 10; batch++) {
      await producer.send({
        topic,
        messages: Array.from({ length: 30 }, (_, i) => ({
          partition: i % 3,
          value: String(batch * 30 + i),
        })),
      });
    }
    await producer.disconnect();
    const seen = await consumeAll(topic, 300);
    for (const p of [0, 1, 2]) {
      const values = seen.filter((m) => m.partition === p).map((m) => Number(m.message.value));
      const offsets = seen.filter((m) => m.partition === p).map((m) => Number(m.message.offset));
      expect(values).toHaveLength(100);
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect(offsets).toEqual(Array.from({ length: 100 }, (_, i) => i));
    }
  });

  it('sends the same key to the same partition every time', async () => {
    const topic = uniqueName('keys');
    const producer = kafkaFor(broker).producer();
    await producer.connect();
    const keys = ['alice', 'bob', 'carol', 'dave', 'erin'];
    for (let round = 0; round < 5; round++) {
      await producer.send({
        topic,
        messages: keys.map((key) => ({ key, value: `${key}-${round}` })),
      });
    }
    await producer.disconnect();
    const seen = await consumeAll(topic, 25);
    for (const key of keys) {
      const partitions = new Set(
        seen.filter((m) => m.message.key?.toString() === key).map((m) => m.partition),
      );
      expect(partitions.size).toBe(1);
    }
  });

  it('accepts gzip-compressed batches and returns them intact', async () => {
    const topic = uniqueName('gzip');
    const producer = kafkaFor(broker).producer();
    await producer.connect();
    await producer.send({
      topic,
      compression: CompressionTypes.GZIP,
      messages: Array.from({ length: 50 }, (_, i) => ({
        partition: 0,
        value: `zipped-${i}`,
        headers: { n: String(i) },
      })),
    });
    await producer.disconnect();
    const seen = await consumeAll(topic, 50);
    expect(seen.map((m) => m.message.value?.toString())).toEqual(
      Array.from({ length: 50 }, (_, i) => `zipped-${i}`),
    );
    expect(seen[7].message.headers?.n?.toString()).toBe('7');
  });

  it('resumes right after the last committed offset when the consumer restarts', async () => {
    const topic = uniqueName('resume');
    const groupId = uniqueName('resume-g');
    const kafka = kafkaFor(broker);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: Array.from({ length: 10 }, (_, i) => ({ partition: 0, value: `m${i}` })),
    });

    const first = kafka.consumer(fastGroup(groupId));
    await first.connect();
    await first.subscribe({ topic, fromBeginning: true });
    const firstSeen: string[] = [];
    await first.run({
      autoCommit: false,
      eachMessage: async ({ message, partition }) => {
        firstSeen.push(String(message.value));
        if (firstSeen.length === 6) {
          await first.commitOffsets([
            { topic, partition, offset: String(Number(message.offset) + 1) },
          ]);
        }
      },
    });
    await waitFor(() => firstSeen.length >= 10);
    await first.disconnect();

    await producer.send({ topic, messages: [{ partition: 0, value: 'm10' }] });
    await producer.disconnect();
    const second = kafka.consumer(fastGroup(groupId));
    await second.connect();
    await second.subscribe({ topic, fromBeginning: true });
    const secondSeen: string[] = [];
    await second.run({
      eachMessage: async ({ message }) => void secondSeen.push(String(message.value)),
    });
    await waitFor(() => secondSeen.length >= 5);
    await second.disconnect();
    expect(secondSeen).toEqual(['m6', 'm7', 'm8', 'm9', 'm10']);
  });

  it('creates, lists and deletes topics through the admin client', async () => {
    const admin = kafkaFor(broker).admin();
    await admin.connect();
    const a = uniqueName('admin-a');
    const b = uniqueName('admin-b');
    expect(
      await admin.createTopics({ topics: [{ topic: a, numPartitions: 5 }, { topic: b }] }),
    ).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic: a }] })).toBe(false);
    expect(await admin.listTopics()).toEqual(expect.arrayContaining([a, b]));
    const meta = await admin.fetchTopicMetadata({ topics: [a, b] });
    const counts = Object.fromEntries(meta.topics.map((t) => [t.name, t.partitions.length]));
    expect(counts).toEqual({ [a]: 5, [b]: 3 });
    await admin.deleteTopics({ topics: [a] });
    const remaining = await admin.listTopics();
    expect(remaining).not.toContain(a);
    expect(remaining).toContain(b);
    await admin.disconnect();
  });

  it('answers ListOffsets for earliest, latest and by timestamp', async () => {
    const topic = uniqueName('offsets');
    const kafka = kafkaFor(broker);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { partition: 0, value: 'a', timestamp: '1000' },
        { partition: 0, value: 'b', timestamp: '2000' },
      ],
    });
    await producer.send({ topic, messages: [{ partition: 0, value: 'c', timestamp: '3000' }] });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    const latest = await admin.fetchTopicOffsets(topic);
    expect(latest.find((p) => p.partition === 0)).toMatchObject({
      offset: '3',
      low: '0',
      high: '3',
    });
    const byTime = await admin.fetchTopicOffsetsByTimestamp(topic, 1500);
    expect(byTime.find((p) => p.partition === 0)?.offset).toBe('1');
    const later = await admin.fetchTopicOffsetsByTimestamp(topic, 2500);
    expect(later.find((p) => p.partition === 0)?.offset).toBe('2');
    const groups = await admin.listGroups();
    expect(Array.isArray(groups.groups)).toBe(true);
    await admin.disconnect();
  });

  it('applies per-topic retention by age to closed segments', async () => {
    const topic = uniqueName('retention');
    const kafka = kafkaFor(broker);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic,
          numPartitions: 1,
          configEntries: [
            { name: 'retention.ms', value: '60000' },
            { name: 'segment.bytes', value: '1024' },
          ],
        },
      ],
    });
    const producer = kafka.producer();
    await producer.connect();
    const old = String(Date.now() - 3_600_000);
    for (let i = 0; i < 5; i++) {
      await producer.send({ topic, messages: [{ value: 'x'.repeat(600), timestamp: old }] });
    }
    // Big enough to start a segment of its own: the active segment is never deleted.
    await producer.send({ topic, messages: [{ value: 'y'.repeat(600) }] });
    await producer.disconnect();
    let low = '0';
    for (let i = 0; i < 50 && low !== '5'; i++) {
      low = (await admin.fetchTopicOffsets(topic))[0].low;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(low).toBe('5');
    expect((await admin.fetchTopicOffsets(topic))[0].high).toBe('6');
    await admin.disconnect();
  });
});
