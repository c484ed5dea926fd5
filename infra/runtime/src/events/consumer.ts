// An idempotent consumer: one consumer group per service. Each event's effect and
// its inbox row (the event id) commit in one transaction (events arriving together
// share it), so a redelivered event is a no-op; an offset is resolved only after its
// effect committed. A transient failure
// is retried with backoff; an event that is invalid, or still fails after
// `maxAttempts`, goes to `<group>.dlq` with the error, and the partition moves on.
//
// Joining the group happens in the background (`createEventConsumer`): after a crash
// the broker holds a new member's join until the dead member's session expires, and
// the service should not wait for that to serve HTTP. A join that fails is retried
// with backoff, and `stop()` cancels one in progress.
import type { Consumer, EachBatchHandler, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../logger';
import { assertValidEvent } from './contracts';
import type { EventType } from './catalog.generated';
import type { AnyEvent, EventOf } from './envelope';
import { createIdempotentProducer } from './kafka';
import { createWaker } from '../waker';
import { CONSUMER_SESSION_TIMEOUT_MS } from '../config';
import { queryPrepared } from '../prepared';
import { runInRequest } from '../request-id';
import { traceEvents, tracing, wallClockMs } from './trace';
import { createOffsetCommitter } from './offsets';
import { createJoiner } from './joiner';
import type { OffsetCommitter } from './offsets';

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

/**
 * Runs `apply` as part of the request that caused `events` when they all share one
 * (request-id.ts), so what it logs and appends carries the id; outside any otherwise.
 */
function asRequestOf<T>(events: readonly AnyEvent[], apply: () => Promise<T>): Promise<T> {
  const requestId = events[0].requestId;
  if (!requestId || events.some((e) => e.requestId !== requestId)) return apply();
  return runInRequest({ requestId }, apply);
}

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
  /** The group session timeout (config.ts, KAFKA_SESSION_TIMEOUT_MS); unset: 6 s. */
  sessionTimeoutMs?: number;
}

/** `joining` until the group has assigned this member its partitions, and during a rebalance. */
export type ConsumerState = 'joining' | 'ok' | 'stopped';

export interface EventConsumer {
  state(): ConsumerState;
  /** Resolves the first time the consumer has joined its group (never, if stopped before). */
  joined: Promise<void>;
  stop(): Promise<void>;
}

const HEARTBEAT_INTERVAL_MS = 1000;
/** Offsets are committed at most this often (offsets.ts). */
const COMMIT_INTERVAL_MS = 200;
const JOIN_RETRY_FIRST_MS = 500;
const JOIN_RETRY_MAX_MS = 30_000;
/** The longest a stop waits for a consumer that has not joined yet to disconnect. */
const JOIN_STOP_WAIT_MS = 1000;

/** Waits for `work`, at most `ms`; `work` goes on after that. */
function settledWithin(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function deadLetterTopic(groupId: string): string {
  return `${groupId}.dlq`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A chunk's inbox rows and workspaces: prepared once per connection (prepared.ts). */
const INBOX_SQL = `WITH workspaces AS (
    INSERT INTO workspace (id) SELECT unnest($4::text[]) ON CONFLICT DO NOTHING)
  INSERT INTO inbox (event_id, workspace_id, topic)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])
  ON CONFLICT DO NOTHING RETURNING event_id`;

/** Starts the consumer and waits until it has joined its group. */
export async function startEventConsumer(options: EventConsumerOptions): Promise<EventConsumer> {
  const consumer = createEventConsumer(options);
  await consumer.joined;
  return consumer;
}

/** Starts the consumer; it joins its group in the background, retrying until it does. */
export function createEventConsumer(options: EventConsumerOptions): EventConsumer {
  const { db, kafka, groupId, handlers, logger, maxAttempts = 5, retryBaseMs = 100 } = options;
  const chunkSize = options.chunkSize ?? 100;
  const prefix = options.topicPrefix ?? '';
  const dlq: Producer = createIdempotentProducer(kafka);

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
      // One statement for the chunk: its events' ids into the inbox (an id delivered
      // twice in it counts once), and their workspaces provisioned (an event may be the
      // first this service hears of a workspace, as a request's signed context does).
      const { rows } = await queryPrepared<{ event_id: string }>(tx, INBOX_SQL, [
        events.map((e) => e.id),
        events.map((e) => e.workspaceId),
        events.map((e) => e.type),
        [...new Set(events.map((e) => e.workspaceId))],
      ]);
      const fresh = new Set(rows.map((r) => r.event_id));
      const applied = events.map((e) => fresh.delete(e.id));
      const toApply = events.filter((_, i) => applied[i]);
      // Runs of one type go to a batch handler together; order is kept across types.
      // Each is applied as part of the request that caused it (its requestId): the
      // lines it logs and the events it appends carry that id on.
      for (let i = 0; i < toApply.length;) {
        const handler = handlers[toApply[i].type] as AnyHandler;
        let end = i + 1;
        if ('batch' in handler) {
          while (end < toApply.length && toApply[end].type === toApply[i].type) end++;
          const run = toApply.slice(i, end);
          await asRequestOf(run, () => handler.batch(tx, run, logger));
        } else {
          await asRequestOf([toApply[i]], () => handler(tx, toApply[i], logger));
        }
        i = end;
      }
      for (const event of toApply) {
        logger.debug('event applied', {
          eventId: event.id,
          type: event.type,
          requestId: event.requestId,
        });
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
        if (!applied) {
          logger.debug('event already applied', {
            eventId: event.id,
            type: event.type,
            requestId: event.requestId,
          });
        }
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

  // The chunks of the partitions fetched together share one transaction (joiner.ts).
  const joiner = createJoiner<AnyEvent>(async (events) => void (await applyAll(events)));

  /**
   * A chunk of a partition's messages in one transaction (one commit, one WAL flush,
   * instead of one per event), with the chunks of the other partitions fetched with
   * it. If anything in it fails, it is rolled back and each chunk's events are applied
   * one by one, so a poison event is isolated and the rest still apply, in order.
   */
  const applyChunk = async (
    topic: string,
    partition: number,
    messages: KafkaMessage[],
    receivedAt: number,
  ) => {
    const decoded: { message: KafkaMessage; event: AnyEvent }[] = [];
    for (const message of messages) {
      const event = await decode(topic, partition, message);
      if (event) decoded.push({ message, event });
    }
    if (decoded.length === 0) return;
    const ids = tracing ? decoded.map((d) => d.event.id) : [];
    traceEvents(ids, 'consume.received', receivedAt);
    traceEvents(ids, 'consume.decoded');
    try {
      await joiner.submit(decoded.map((d) => d.event));
      traceEvents(ids, 'consume.committed');
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

  /** The batch handler of one consumer, whose offsets `committer` commits. */
  const eachBatchOf =
    (committer: OffsetCommitter): EachBatchHandler =>
    async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      const receivedAt = tracing ? wallClockMs() : 0;
      for (let i = 0; i < batch.messages.length; i += chunkSize) {
        if (!isRunning() || isStale()) break;
        const chunk = batch.messages.slice(i, i + chunkSize);
        await applyChunk(batch.topic, batch.partition, chunk, receivedAt);
        const last = chunk[chunk.length - 1].offset;
        resolveOffset(last);
        committer.applied(batch.topic, batch.partition, last);
        await heartbeat();
      }
      // Stopping: the member leaves its group once this batch ends; commit before.
      if (!isRunning()) await committer.flush();
    };

  let state: ConsumerState = 'joining';
  let stopped = false;
  let current: { consumer: Consumer; committer: OffsetCommitter } | undefined;
  // Ends the current consumer's life: a crash kafkajs will not restart, or stop().
  let endCurrent: (error?: Error) => void = () => undefined;
  const pause = createWaker();
  let stopping: Promise<void> | undefined;
  let markJoined: () => void;
  const joined = new Promise<void>((resolve) => (markJoined = resolve));

  /**
   * Commits what was applied, then stops: kafkajs lets the batch in hand end (which
   * commits its own offsets: eachBatchOf) and leaves the group.
   */
  const finish = async (consumer: Consumer, committer: OffsetCommitter) => {
    await committer.flush();
    await consumer
      .stop()
      .catch((e: Error) =>
        logger.warn('consumer did not stop cleanly', { groupId, error: e.message }),
      );
  };

  /** One consumer from connect to its end: the error that ended it, and whether it had joined. */
  const runConsumer = async (): Promise<{ error?: Error; hadJoined: boolean }> => {
    let hadJoined = false;
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: options.sessionTimeoutMs ?? CONSUMER_SESSION_TIMEOUT_MS,
      heartbeatInterval: HEARTBEAT_INTERVAL_MS,
      maxWaitTimeInMs: 500,
      // kafkajs restarts a consumer after a retriable crash on its own; never once we stop.
      retry: { initialRetryTime: 300, retries: 5, restartOnFailure: async () => !stopped },
    });
    const committer = createOffsetCommitter(
      (offsets) => consumer.commitOffsets(offsets),
      COMMIT_INTERVAL_MS,
      (error) =>
        logger.warn('offsets not committed; their events may come again (the inbox drops them)', {
          groupId,
          error: error.message,
        }),
    );
    current = { consumer, committer };
    const ended = new Promise<Error | undefined>((resolve) => (endCurrent = resolve));
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      state = 'ok';
      hadJoined = true;
      logger.info('consumer joined its group', { groupId, memberId: payload.memberId });
      markJoined();
    });
    if (tracing) {
      consumer.on(consumer.events.FETCH_START, () => traceEvents([groupId], 'fetch.start'));
      consumer.on(consumer.events.FETCH, () => traceEvents([groupId], 'fetch.end'));
    }
    consumer.on(consumer.events.REBALANCING, () => {
      if (!stopped) state = 'joining';
      // What this member applied, committed before its partitions may go to another.
      void committer.flush();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (stopped) return;
      state = 'joining';
      if (!payload.restart) endCurrent(payload.error);
    });
    try {
      await dlq.connect();
      await consumer.connect();
      if (!stopped) {
        await consumer.subscribe({
          topics: Object.keys(handlers).map((type) => prefix + type),
          fromBeginning: true,
        });
      }
      // Returns once the join is done or has failed (a CRASH event, restarted or not).
      if (!stopped) {
        await consumer.run({
          partitionsConsumedConcurrently: 3,
          eachBatchAutoResolve: false,
          // Offsets are committed by `committer`, not after every batch.
          autoCommit: false,
          eachBatch: eachBatchOf(committer),
        });
      }
    } catch (error) {
      endCurrent(error as Error);
    }
    const error = await ended;
    await finish(consumer, committer);
    await consumer
      .disconnect()
      .catch((e: Error) =>
        logger.warn('consumer did not disconnect cleanly', { groupId, error: e.message }),
      );
    return { error, hadJoined };
  };

  const loop = (async () => {
    for (let failures = 0; !stopped;) {
      const { error, hadJoined } = await runConsumer();
      if (stopped) break;
      // A consumer that had joined failed afresh: start the backoff over.
      failures = hadJoined ? 1 : failures + 1;
      const delay = Math.min(JOIN_RETRY_MAX_MS, JOIN_RETRY_FIRST_MS * 2 ** (failures - 1));
      logger.warn('consumer could not join its group; retrying', {
        groupId,
        attempt: failures,
        retryInMs: delay,
        error: error?.message,
      });
      await pause.sleep(delay);
    }
  })();

  return {
    state: () => state,
    joined,
    stop: async () => {
      if (stopped) return stopping;
      stopped = true;
      const wasJoining = state === 'joining';
      state = 'stopped';
      pause.wake();
      endCurrent();
      const drained = (async () => {
        if (current) await finish(current.consumer, current.committer);
        await current?.consumer
          .disconnect()
          .catch((e: Error) =>
            logger.warn('consumer did not disconnect cleanly', { groupId, error: e.message }),
          );
        await loop;
        await dlq.disconnect();
      })();
      // kafkajs disconnects only once the broker has answered every request, and the
      // broker holds a join until the group has rebalanced (a dead member's session).
      // A stop does not wait for that: the member never got partitions, the process
      // exits, and once the broker answers the join kafkajs sees it is disconnecting.
      stopping = wasJoining ? settledWithin(drained, JOIN_STOP_WAIT_MS) : drained;
      return stopping;
    },
  };
}
