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
