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
import { traceEvents, tracing, wallClockMs } from './trace';

// Any constant, the same in every process of one service.
/** The advisory lock the relay holds while it publishes a batch (erasure.ts waits for it). */
export const RELAY_LOCK = 0x6f7574626f78; // "outbox"

/**
 * The least time between the starts of two passes that publish: at 200 events/s passes
 * of 2–4 rows each made every consumer group downstream run a transaction per pass;
 * paced, each carries several times more, for at most this much more lag per hop (none
 * for an event after a quiet moment).
 */
export const RELAY_PACE_MS = 25;

export interface OutboxRelayOptions {
  /** The service's pool: for `backlog()`. */
  db: DataSource;
  /** For the relay's own connection: it LISTENs for commits and publishes on it. */
  databaseUrl: string;
  kafka: Kafka;
  logger: Logger;
  /** Put before every topic name (tests give each suite its own topics). */
  topicPrefix?: string;
  batchSize?: number;
  /** Longest wait between polls when no notification arrives. */
  pollMs?: number;
  /** The least time between the starts of two passes that publish (0: none). */
  paceMs?: number;
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
  /** The event as JSON text, published as it is stored (no parse and re-serialise). */
  value: string;
}

// One pass is two round trips on the relay's own connection: the lock and the rows in
// one (the rows are read by a statement of their own, after the lock is held, so an
// erasure that held it is committed and visible), then the marking and the commit.
// The rows are read only when the lock is held: the gate is evaluated once, before
// the scan. A relay of another process of the service that holds it costs one index
// probe, not a read of the batch.
// The read walks the unsent rows' partial index in order (no bitmap scan): the entries
// of rows sent since the last vacuum point at dead tuples, and only a plain index scan
// marks them dead for the next pass. A bitmap scan visited every one of them on every
// pass (2–3 ms a pass after a few thousand events, for a handful of rows).
const lockAndRead = (batchSize: number) => `BEGIN;
  SET LOCAL enable_bitmapscan = off;
  SELECT set_config('customer_graph.relay_locked', pg_try_advisory_xact_lock(${RELAY_LOCK})::text, true);
  SELECT seq, topic, key, value::text AS value FROM outbox
   WHERE current_setting('customer_graph.relay_locked') = 'true' AND sent_at IS NULL
   ORDER BY seq LIMIT ${Math.floor(batchSize)}`;

// The marking does not wait for its WAL flush (synchronous_commit off, this transaction
// only): were a Postgres crash to lose it, the rows would be published again, which
// consumers drop by event id, as after a relay crash. The next pass need not wait.
const markSent = (seqs: string[]) => {
  if (!seqs.every((s) => /^\d+$/.test(s))) throw new Error('outbox seq is not a number');
  return `SET LOCAL synchronous_commit = off;
  UPDATE outbox SET sent_at = now() WHERE seq = ANY('{${seqs.join(',')}}'::bigint[]);
  COMMIT`;
};

export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, kafka, logger, topicPrefix = '', batchSize = 500, pollMs = 500 } = options;
  const paceMs = options.paceMs ?? RELAY_PACE_MS;
  const keepSentMs = options.keepSentMs ?? 24 * 3600 * 1000;
  let producer: Producer | undefined;
  let stopped = false;
  // A commit's NOTIFY during a pass is kept, so its rows go out right after.
  const waker = createWaker();
  // The relay's own connection: it LISTENs on it and runs its passes on it, so a pass
  // never waits for a pool busy with requests, and costs no ORM.
  let client: Client | undefined;

  const connect = async () => {
    const c = new Client({ connectionString: options.databaseUrl });
    c.on('error', (error) => {
      logger.warn('outbox relay lost its connection; reconnecting', { error: error.message });
      if (client === c) client = undefined;
      // Release the broken connection's socket; its own error was just logged.
      c.end().catch(() => undefined);
    });
    c.on('notification', () => waker.wake());
    await c.connect();
    try {
      await c.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (error) {
      await c.end().catch(() => undefined);
      throw error;
    }
    return c;
  };

  const ensureProducer = async () => {
    if (!producer) {
      const p = createIdempotentProducer(kafka);
      await p.connect();
      producer = p;
    }
    return producer;
  };

  /** Publishes the oldest unsent rows (up to batchSize); how many it published. */
  const publishBatch = async (c: Client): Promise<number> => {
    const startedAt = tracing ? wallClockMs() : 0;
    const results = (await c.query(lockAndRead(batchSize))) as unknown as { rows: unknown[] }[];
    const rows = results[3].rows as OutboxRow[];
    if (rows.length === 0) {
      await c.query('ROLLBACK');
      return 0;
    }
    const ids = tracing ? rows.map((r) => (JSON.parse(r.value) as { id: string }).id) : [];
    traceEvents(ids, 'relay.start', startedAt);
    traceEvents(ids, 'relay.selected');
    try {
      const byTopic = new Map<string, Message[]>();
      for (const row of rows) {
        const topic = topicPrefix + row.topic;
        const messages = byTopic.get(topic) ?? [];
        messages.push({ key: row.key, value: row.value });
        byTopic.set(topic, messages);
      }
      await (
        await ensureProducer()
      ).sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      traceEvents(ids, 'relay.acked');
      await c.query(markSent(rows.map((r) => r.seq)));
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    traceEvents(ids, 'relay.committed');
    return rows.length;
  };

  const loop = async () => {
    let backoff = 100;
    let lastCleanup = 0;
    let lastPublishedAt = 0;
    let passStartedAt = 0;
    while (!stopped) {
      let published = 0;
      try {
        if (!client) {
          client = await connect();
          // Rows committed while it was away notified nobody: the pass below finds them.
        }
        // Connected before the first event comes, so that one does not wait for it.
        await ensureProducer();
        // Passes that publish start at least paceMs apart: under a flow each carries
        // more rows. Every pass costs a produce request and, downstream, a fetch and a
        // transaction in each consumer group, whatever its size. An event after a quiet
        // moment still goes out as soon as it is committed.
        const wait = lastPublishedAt + paceMs - Date.now();
        if (wait > 0) await sleep(wait);
        passStartedAt = Date.now();
        published = await publishBatch(client);
        backoff = 100;
        if (Date.now() - lastCleanup > 60_000) {
          lastCleanup = Date.now();
          await client.query(
            `DELETE FROM outbox WHERE sent_at < now() - ($1 || ' milliseconds')::interval`,
            [String(keepSentMs)],
          );
        }
      } catch (error) {
        if (stopped) break;
        // A statement that failed inside the pass left its transaction aborted.
        await client?.query('ROLLBACK').catch(() => undefined);
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
      if (published > 0) lastPublishedAt = passStartedAt;
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
      await client?.end().catch(() => undefined);
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
