// The event envelope (contract: schema/events/envelope.json). The Kafka message value
// is the envelope as JSON, its key is `key`, its topic is `type`.
import { randomUUID } from 'node:crypto';

export interface EventEnvelope<P = Record<string, unknown>> {
  id: string;
  type: string;
  version: number;
  workspaceId: string;
  key: string;
  occurredAt: string;
  payload: P;
}

export function createEvent<P>(
  fields: Pick<EventEnvelope<P>, 'type' | 'version' | 'workspaceId' | 'key' | 'payload'>,
): EventEnvelope<P> {
  return { id: randomUUID(), occurredAt: new Date().toISOString(), ...fields };
}
