// The event envelope (contract: schema/events/envelope.json). The Kafka message value
// is the envelope as JSON, its key is `key`, its topic is `type`.
import { randomUUID } from 'node:crypto';
import { currentRequest } from '../request-id';
import { EVENT_VERSIONS } from './catalog.generated';
import type { EventPayloads, EventType } from './catalog.generated';

export interface EventEnvelope<P = Record<string, unknown>, T extends string = string> {
  id: string;
  type: T;
  version: number;
  workspaceId: string;
  key: string;
  occurredAt: string;
  payload: P;
  /** The request that caused it (request-id.ts), carried on by the events it causes. */
  requestId?: string;
}

/** An event of a catalog type, its payload typed from the type's schema. */
export type EventOf<T extends EventType> = EventEnvelope<EventPayloads[T], T>;

/** Any catalog event; narrowing on `type` narrows `payload`. */
export type AnyEvent = { [T in EventType]: EventOf<T> }[EventType];

/**
 * A new event of type `type` at the version the catalog gives it; the payload must be
 * that type's (checked by the compiler here, against the JSON Schema when appended).
 * Created while serving a request, or applying an event a request caused, it carries
 * that request's id.
 */
export function createEvent<T extends EventType>(fields: {
  type: T;
  workspaceId: string;
  key: string;
  payload: EventPayloads[T];
}): EventOf<T> {
  const requestId = currentRequest()?.requestId;
  return {
    id: randomUUID(),
    occurredAt: new Date().toISOString(),
    version: EVENT_VERSIONS[fields.type],
    ...fields,
    ...(requestId && { requestId }),
  };
}
