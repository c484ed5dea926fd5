// An idempotent consumer: one consumer group per service. Each event's effect and
// its inbox row (the event id) commit in one transaction, so a redelivered event is a
// no-op; an offset is resolved only after its effect committed. A transient failure
// is retried with backoff; an event that is invalid, or still fails after
// `maxAttempts`, goes to `<group>.dlq` with the error, and the partition moves on.
import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../logger';
import { assertValidEvent } from './contracts';
import type { EventEnvelope } from './envelope';
import { createIdempotentProducer } from './kafka';

export type EventHandler = (
  tx: EntityManager,
  event: EventEnvelope<never>,
  logger: Logger,
) => Promise<void>;

/** Thrown by a handler for an event that can never succeed: no retries. */
export class PermanentEventError extends Error {
  override name = 'PermanentEventError';
}

export interface EventConsumerOptions {
  db: DataSource;
  kafka: Kafka;
  groupId: string;
  /** Put before every topic name, the dead-letter topic's included. */
  topicPrefix?: string;
  /** Event type (= topic) → handler. */
  handlers: Record<string, EventHandler>;
  logger: Logger;
  maxAttempts?: number;
  retryBaseMs?: number;
}

export interface EventConsumer {
  consumer: Consumer;
  stop(): Promise<void>;
}

export function deadLetterTopic(groupId: string): string {
  return `${groupId}.dlq`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startEventConsumer(options: EventConsumerOptions): Promise<EventConsumer> {
  const { db, kafka, groupId, handlers, logger, maxAttempts = 5, retryBaseMs = 100 } = options;
  const prefix = options.topicPrefix ?? '';
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 500,
  });
  const dlq: Producer = createIdempotentProducer(kafka);
  await dlq.connect();
  await consumer.connect();
  await consumer.subscribe({
    topics: Object.keys(handlers).map((type) => prefix + type),
    fromBeginning: true,
  });

  const deadLetter = async (
    topic: string,
    partition: number,
    message: KafkaMessage,
    error: string,
    event?: { id?: string; workspaceId?: string },
  ) => {
    logger.error('event dead-lettered', {
      topic,
      partition,
      offset: message.offset,
      eventId: event?.id,
      error,
    });
    await dlq.send({
      topic: prefix + deadLetterTopic(groupId),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            error,
            'original-topic': topic,
            'original-partition': String(partition),
            'original-offset': message.offset,
          },
        },
      ],
    });
    await db.query(
      `INSERT INTO dead_letter (workspace_id, event_id, topic, partition, "offset", error, value)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        event?.workspaceId ?? null,
        event?.id ?? null,
        topic,
        partition,
        message.offset,
        error,
        message.value?.toString() ?? null,
      ],
    );
  };

  const apply = async (event: EventEnvelope<never>, handler: EventHandler) =>
    db.transaction(async (tx) => {
      const fresh = await tx.query(
        'INSERT INTO inbox (event_id, workspace_id, topic) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING event_id',
        [event.id, event.workspaceId, event.type],
      );
      if (fresh.length === 0) return false;
      await handler(tx, event, logger);
      return true;
    });

  const handleMessage = async (topic: string, partition: number, message: KafkaMessage) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.value?.toString() ?? '');
    } catch (error) {
      await deadLetter(topic, partition, message, `not JSON: ${(error as Error).message}`);
      return;
    }
    try {
      assertValidEvent(parsed);
    } catch (error) {
      await deadLetter(topic, partition, message, (error as Error).message, parsed as object);
      return;
    }
    const event = parsed as EventEnvelope<never>;
    const handler = handlers[event.type];
    if (!handler || prefix + event.type !== topic) {
      await deadLetter(topic, partition, message, `${event.type} event on topic ${topic}`, event);
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const applied = await apply(event, handler);
        logger.debug(applied ? 'event applied' : 'event already applied', {
          eventId: event.id,
          type: event.type,
        });
        return;
      } catch (error) {
        const permanent = error instanceof PermanentEventError;
        if (permanent || attempt >= maxAttempts) {
          await deadLetter(topic, partition, message, (error as Error).message, event);
          return;
        }
        logger.warn('event failed; retrying', {
          eventId: event.id,
          attempt,
          error: (error as Error).message,
        });
        await sleep(retryBaseMs * 2 ** (attempt - 1));
      }
    }
  };

  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachBatchAutoResolve: false,
    eachBatch: async ({
      batch,
      resolveOffset,
      heartbeat,
      isRunning,
      isStale,
      commitOffsetsIfNecessary,
    }) => {
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        await handleMessage(batch.topic, batch.partition, message);
        resolveOffset(message.offset);
        await heartbeat();
      }
      await commitOffsetsIfNecessary();
    },
  });

  return {
    consumer,
    stop: async () => {
      await consumer.disconnect();
      await dlq.disconnect();
    },
  };
}
