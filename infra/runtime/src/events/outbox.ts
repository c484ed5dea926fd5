// Writing an event: inside the caller's transaction, beside the state change it
// describes, so both commit or neither does. The relay publishes it later.
import type { EntityManager } from 'typeorm';
import { assertValidEvent } from './contracts';
import type { EventEnvelope } from './envelope';

export const OUTBOX_CHANNEL = 'outbox';

export async function appendEvent(tx: EntityManager, event: EventEnvelope<unknown>): Promise<void> {
  assertValidEvent(event);
  // The notification is delivered at commit (dropped on rollback) and wakes the relay
  // at once; sent in the same statement to save a round trip per event.
  await tx.query(
    `INSERT INTO outbox (id, workspace_id, topic, key, value)
     SELECT $1, $2, $3, $4, $5 FROM (SELECT pg_notify('${OUTBOX_CHANNEL}', '')) AS wake`,
    [event.id, event.workspaceId, event.type, event.key, JSON.stringify(event)],
  );
}

/**
 * Several events in one statement (a consumer applying a chunk of events at once):
 * each is validated first, then all rows go in with one notification.
 */
export async function appendEvents(
  tx: EntityManager,
  events: EventEnvelope<unknown>[],
): Promise<void> {
  if (events.length === 0) return;
  events.forEach(assertValidEvent);
  await tx.query(
    `INSERT INTO outbox (id, workspace_id, topic, key, value)
     SELECT e.id, e.workspace_id, e.topic, e.key, e.value
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
              WITH ORDINALITY AS e(id, workspace_id, topic, key, value, n),
            (SELECT pg_notify('${OUTBOX_CHANNEL}', '')) AS wake
      ORDER BY e.n`,
    [
      events.map((e) => e.id),
      events.map((e) => e.workspaceId),
      events.map((e) => e.type),
      events.map((e) => e.key),
      events.map((e) => JSON.stringify(e)),
    ],
  );
}
