// The outbox relay: publishes committed outbox rows to Kafka in commit order, then
// marks them sent. A broker outage only delays events (the relay backs off and
// retries from the oldest unsent row); a relay crash between publishing and marking
// re-publishes those rows, which consumers drop by event id. One relay at a time per
// database (an advisory lock), so events for a key never overtake each other.
import { Client } from 'pg';
import type { Kafka, Message, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';
import { createIdempotentProducer } from './kafka';
import { OUTBOX_CHANNEL } from './outbox';
import { createWaker } from '../waker';

// Any constant, the same in every process of one service.
/** The advisory lock the relay holds while it publishes a batch (erasure.ts waits for it). */
export const RELAY_LOCK = 0x6f7574626f78; // "outbox"

export interface OutboxRelayOptions {
  db: DataSource;
  /** For the LISTEN connection that wakes the relay on each commit. */
  databaseUrl: string;
  kafka: Kafka;
  logger: Logger;
  /** Put before every topic name (tests give each suite its own topics). */
  topicPrefix?: string;
  batchSize?: number;
  /** Longest wait between polls when no notification arrives. */
  pollMs?: number;
  /** Sent rows older than this are deleted. */
  keepSentMs?: number;
}

export interface OutboxRelay {
  /** Rows committed but not yet published. */
  backlog(): Promise<number>;
  stop(): Promise<void>;
}

interface OutboxRow {
  seq: string;
  topic: string;
  key: string;
  value: unknown;
}

export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, kafka, logger, topicPrefix = '', batchSize = 500, pollMs = 500 } = options;
  const keepSentMs = options.keepSentMs ?? 24 * 3600 * 1000;
  let producer: Producer | undefined;
  let stopped = false;
  // A commit's NOTIFY during a pass is kept, so its rows go out right after.
  const waker = createWaker();
  let listener: Client | undefined;

  const listen = async () => {
    const client = new Client({ connectionString: options.databaseUrl });
    client.on('error', (error) => {
      logger.warn('outbox listener lost; polling until it reconnects', { error: error.message });
      listener = undefined;
      // Release the broken connection's socket; its own error was just logged.
      client.end().catch(() => undefined);
    });
    client.on('notification', () => waker.wake());
    await client.connect();
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    listener = client;
  };

  const publishBatch = () =>
    db.transaction(async (tx) => {
      const [{ locked }] = await tx.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        RELAY_LOCK,
      ]);
      if (!locked) return 0;
      const rows: OutboxRow[] = await tx.query(
        'SELECT seq, topic, key, value FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT $1',
        [batchSize],
      );
      if (rows.length === 0) return 0;
      const byTopic = new Map<string, Message[]>();
      for (const row of rows) {
        const topic = topicPrefix + row.topic;
        const messages = byTopic.get(topic) ?? [];
        messages.push({ key: row.key, value: JSON.stringify(row.value) });
        byTopic.set(topic, messages);
      }
      if (!producer) {
        producer = createIdempotentProducer(kafka);
        await producer.connect();
      }
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      await tx.query('UPDATE outbox SET sent_at = now() WHERE seq = ANY($1::bigint[])', [
        rows.map((r) => r.seq),
      ]);
      return rows.length;
    });

  const loop = async () => {
    let backoff = 100;
    let lastCleanup = 0;
    let lastListen = 0;
    while (!stopped) {
      let published = 0;
      if (!listener && Date.now() - lastListen > 5000) {
        lastListen = Date.now();
        await listen().catch((error: Error) =>
          logger.warn('outbox listener unavailable; polling', { error: error.message }),
        );
      }
      try {
        published = await publishBatch();
        backoff = 100;
        if (Date.now() - lastCleanup > 60_000) {
          lastCleanup = Date.now();
          await db.query(
            `DELETE FROM outbox WHERE sent_at < now() - ($1 || ' milliseconds')::interval`,
            [String(keepSentMs)],
          );
        }
      } catch (error) {
        logger.warn('outbox relay could not publish; will retry', {
          error: (error as Error).message,
          retryInMs: backoff,
        });
        // A fresh producer after a failure: a restarted broker may not know the old
        // producer id, and kafkajs keeps a failed producer's state.
        await producer?.disconnect().catch(() => undefined);
        producer = undefined;
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
        continue;
      }
      if (published === batchSize) continue;
      await waker.sleep(pollMs);
    }
  };
  const running = loop();

  return {
    backlog: async () =>
      Number((await db.query('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL'))[0].n),
    stop: async () => {
      stopped = true;
      waker.wake();
      await running;
      await producer?.disconnect();
      await listener?.end();
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
