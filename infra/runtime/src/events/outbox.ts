// Writing an event: inside the caller's transaction, beside the state change it
// describes, so both commit or neither does. The relay publishes it later.
import type { EntityManager } from 'typeorm';
import { assertValidEvent } from './contracts';
import type { EventEnvelope } from './envelope';

export const OUTBOX_CHANNEL = 'outbox';

export async function appendEvent(tx: EntityManager, event: EventEnvelope<unknown>): Promise<void> {
  assertValidEvent(event);
  await tx.query(
    'INSERT INTO outbox (id, workspace_id, topic, key, value) VALUES ($1, $2, $3, $4, $5)',
    [event.id, event.workspaceId, event.type, event.key, JSON.stringify(event)],
  );
  // Delivered at commit (and dropped on rollback): wakes the relay at once.
  await tx.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);
}
