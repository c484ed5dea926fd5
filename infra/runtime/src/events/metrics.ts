// What an operator needs to see of a service's events: the outbox backlog, the
// consumer group's lag per partition, and how many events were dead-lettered.
import type { Admin, Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';

export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

export interface EventMetrics {
  outboxBacklog: number;
  deadLetters: number;
  consumerLag?: PartitionLag[];
}

export function createEventMetrics(
  db: DataSource,
  kafka?: Kafka,
  group?: { groupId: string; topics: string[] },
) {
  let admin: Admin | undefined;
  const lag = async (): Promise<PartitionLag[]> => {
    if (!kafka || !group || group.topics.length === 0) return [];
    if (!admin) {
      admin = kafka.admin();
      await admin.connect();
    }
    const committed = await admin.fetchOffsets({ groupId: group.groupId, topics: group.topics });
    const result: PartitionLag[] = [];
    for (const { topic, partitions } of committed) {
      const ends = await admin.fetchTopicOffsets(topic);
      for (const end of ends) {
        const done = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        const from = Number(done) >= 0 ? Number(done) : Number(end.low);
        result.push({ topic, partition: end.partition, lag: Number(end.high) - from });
      }
    }
    return result;
  };
  return {
    async read(): Promise<EventMetrics> {
      const [{ backlog }] = await db.query(
        'SELECT count(*)::int AS backlog FROM outbox WHERE sent_at IS NULL',
      );
      const [{ dead }] = await db.query('SELECT count(*)::int AS dead FROM dead_letter');
      return { outboxBacklog: backlog, deadLetters: dead, consumerLag: await lag() };
    },
    stop: async () => {
      await admin?.disconnect();
    },
  };
}
