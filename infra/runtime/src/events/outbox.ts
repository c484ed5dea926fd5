// Writing an event: inside the caller's transaction (or the caller's one statement),
// beside the state change it describes, so both commit or neither does. The relay
// publishes it later. This file is the only code that writes outbox rows.
import type { EntityManager } from 'typeorm';
import type { EventPayloads, EventType } from './catalog.generated';
import { assertValidEvent } from './contracts';
import { queryPrepared } from '../prepared';
import type { AnyEvent, EventOf } from './envelope';

export const OUTBOX_CHANNEL = 'outbox';

/** An INSERT into the outbox, with its parameters: see appendEventSql. */
export interface OutboxInsert {
  sql: string;
  params: unknown[];
}

export interface AppendEventSqlOptions<T extends EventType> {
  /** The number of the fragment's first parameter ($n): the caller's own come before. */
  firstParam: number;
  /**
   * A relation of the caller's statement (a CTE's name) to select the row from: one
   * outbox row per row of it, so none when it is empty. Without it, one row.
   */
  from?: string;
  /**
   * Payload fields whose value comes from `from` (field → SQL expression giving its
   * JSON value, e.g. `follower.id::text`), patched into the event as it is written.
   * The event's own value for such a field is what gets validated, so the expression
   * must give a value of the same contract (a follower's id for a random UUID).
   */
  payloadFrom?: Partial<Record<keyof EventPayloads[T] & string, string>>;
}

/**
 * The outbox row for `event` as one INSERT … RETURNING id statement, for a caller
 * that writes a state change and its event in one round trip, as a CTE:
 * `WITH changed AS (…), sent AS (${sql}) SELECT …`. The event is validated here (an
 * invalid one throws before anything is sent), and the statement wakes the relay
 * with NOTIFY, delivered at commit (dropped on rollback).
 */
export function appendEventSql<T extends EventType>(
  event: EventOf<T>,
  options: AppendEventSqlOptions<T>,
): OutboxInsert {
  assertValidEvent(event);
  const n = options.firstParam;
  let value = `$${n + 4}::jsonb`;
  for (const [field, expression] of Object.entries(options.payloadFrom ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) throw new Error(`bad payload field ${field}`);
    value = `jsonb_set(${value}, '{payload,${field}}', to_jsonb(${expression as string}))`;
  }
  const from = options.from ? `${options.from}, ` : '';
  return {
    sql: `INSERT INTO outbox (id, workspace_id, topic, key, value)
          SELECT $${n}::uuid, $${n + 1}::text, $${n + 2}::text, $${n + 3}::text, ${value}
            FROM ${from}(SELECT pg_notify('${OUTBOX_CHANNEL}', '')) AS wake
          RETURNING id`,
    params: [event.id, event.workspaceId, event.type, event.key, JSON.stringify(event)],
  };
}

/** Validates the event and writes it to the outbox in `tx`; an invalid event throws. */
export async function appendEvent<T extends EventType>(
  tx: EntityManager,
  event: EventOf<T>,
): Promise<void> {
  // The notification is sent in the same statement to save a round trip per event.
  const { sql, params } = appendEventSql(event, { firstParam: 1 });
  await queryPrepared(tx, sql, params);
}

/**
 * Several events in one statement (a consumer applying a chunk of events at once):
 * each is validated first, then all rows go in with one notification.
 */
export async function appendEvents(tx: EntityManager, events: readonly AnyEvent[]): Promise<void> {
  if (events.length === 0) return;
  events.forEach(assertValidEvent);
  await queryPrepared(tx, APPEND_EVENTS_SQL, [
    events.map((e) => e.id),
    events.map((e) => e.workspaceId),
    events.map((e) => e.type),
    events.map((e) => e.key),
    events.map((e) => JSON.stringify(e)),
  ]);
}

const APPEND_EVENTS_SQL = `INSERT INTO outbox (id, workspace_id, topic, key, value)
  SELECT e.id, e.workspace_id, e.topic, e.key, e.value
    FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
           WITH ORDINALITY AS e(id, workspace_id, topic, key, value, n),
         (SELECT pg_notify('${OUTBOX_CHANNEL}', '')) AS wake
   ORDER BY e.n`;
