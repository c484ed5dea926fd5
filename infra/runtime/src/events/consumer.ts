// An idempotent consumer: one consumer group per service. Each event's effect and
// its inbox row (the event id) commit in one transaction (events arriving together
// share it), so a redelivered event is a no-op; an offset is resolved only after its
// effect committed. A transient failure
// is retried with backoff; an event that is invalid, or still fails after
// `maxAttempts`, goes to `<group>.dlq` with the error, and the partition moves on.
import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../logger';
import { assertValidEvent } from './contracts';
import type { EventType } from './catalog.generated';
import type { AnyEvent, EventOf } from './envelope';
import { createIdempotentProducer } from './kafka';

/** Applies one event of type T (its payload typed from T's schema). */
export type EventHandler<T extends EventType> = (
  tx: EntityManager,
  event: EventOf<T>,
  logger: Logger,
) => Promise<void>;

/**
 * A handler that applies a run of events of its type at once (set-based SQL: a few
 * statements for the run instead of a few per event). It must leave the database as
 * applying them one by one, in order, would.
 */
export interface BatchEventHandler<T extends EventType> {
  batch(tx: EntityManager, events: EventOf<T>[], logger: Logger): Promise<void>;
}

/** Event type → its handler, for one event or a run of them; a handler gets only its type. */
export type EventHandlers = { [T in EventType]?: EventHandler<T> | BatchEventHandler<T> };

/** What the dispatcher calls: it hands each handler only events of the handler's type. */
type AnyHandler =
  | ((tx: EntityManager, event: AnyEvent, logger: Logger) => Promise<void>)
  | { batch(tx: EntityManager, events: AnyEvent[], logger: Logger): Promise<void> };

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
  /** Event type (= topic) → handler, for one event or a run of them. */
  handlers: EventHandlers;
  logger: Logger;
  maxAttempts?: number;
  retryBaseMs?: number;
  /** Most events applied in one transaction. */
  chunkSize?: number;
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
  const chunkSize = options.chunkSize ?? 100;
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

  /** Applies events (with their inbox rows) in one transaction; false for each seen before. */
  const applyAll = (events: AnyEvent[]) =>
    db.transaction(async (tx) => {
      // An event may be the first this service hears of a workspace: provision it
      // here, once per chunk, as a request's signed context does.
      await tx.query(
        'INSERT INTO workspace (id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING',
        [[...new Set(events.map((e) => e.workspaceId))]],
      );
      // One inbox statement for the chunk; an id delivered twice in it counts once.
      const rows: { event_id: string }[] = await tx.query(
        `INSERT INTO inbox (event_id, workspace_id, topic)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [events.map((e) => e.id), events.map((e) => e.workspaceId), events.map((e) => e.type)],
      );
      const fresh = new Set(rows.map((r) => r.event_id));
      const applied = events.map((e) => fresh.delete(e.id));
      const toApply = events.filter((_, i) => applied[i]);
      // Runs of one type go to a batch handler together; order is kept across types.
      for (let i = 0; i < toApply.length;) {
        const handler = handlers[toApply[i].type] as AnyHandler;
        let end = i + 1;
        if ('batch' in handler) {
          while (end < toApply.length && toApply[end].type === toApply[i].type) end++;
          await handler.batch(tx, toApply.slice(i, end), logger);
        } else {
          await handler(tx, toApply[i], logger);
        }
        i = end;
      }
      return applied;
    });

  /** The event in a message, or null once a message that holds none is dead-lettered. */
  const decode = async (topic: string, partition: number, message: KafkaMessage) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.value?.toString() ?? '');
    } catch (error) {
      await deadLetter(topic, partition, message, `not JSON: ${(error as Error).message}`);
      return null;
    }
    try {
      assertValidEvent(parsed);
    } catch (error) {
      await deadLetter(topic, partition, message, (error as Error).message, parsed as object);
      return null;
    }
    const event = parsed as AnyEvent;
    if (!handlers[event.type] || prefix + event.type !== topic) {
      await deadLetter(topic, partition, message, `${event.type} event on topic ${topic}`, event);
      return null;
    }
    return event;
  };

  /** One event on its own, retried with backoff, dead-lettered when it cannot apply. */
  const applyOne = async (
    topic: string,
    partition: number,
    message: KafkaMessage,
    event: AnyEvent,
  ) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const [applied] = await applyAll([event]);
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

  /**
   * A chunk of a partition's messages in one transaction (one commit, one WAL flush,
   * instead of one per event). If anything in it fails, the chunk is rolled back and
   * its events are applied one by one, so a poison event is isolated and the rest
   * still apply, in order.
   */
  const applyChunk = async (topic: string, partition: number, messages: KafkaMessage[]) => {
    const decoded: { message: KafkaMessage; event: AnyEvent }[] = [];
    for (const message of messages) {
      const event = await decode(topic, partition, message);
      if (event) decoded.push({ message, event });
    }
    if (decoded.length === 0) return;
    try {
      await applyAll(decoded.map((d) => d.event));
    } catch (error) {
      logger.warn('event chunk failed; applying its events one by one', {
        topic,
        partition,
        events: decoded.length,
        error: (error as Error).message,
      });
      for (const { message, event } of decoded) await applyOne(topic, partition, message, event);
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
      for (let i = 0; i < batch.messages.length; i += chunkSize) {
        if (!isRunning() || isStale()) break;
        const chunk = batch.messages.slice(i, i + chunkSize);
        await applyChunk(batch.topic, batch.partition, chunk);
        resolveOffset(chunk[chunk.length - 1].offset);
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
