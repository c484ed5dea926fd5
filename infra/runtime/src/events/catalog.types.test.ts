// Producers and handlers are typed by event type. The `@ts-expect-error` lines below
// are checked by `tsc -b` (this file is in infra/runtime's project): if one of them
// stopped being an error, the build would fail. Jest runs the few runtime checks.
import type { EntityManager } from 'typeorm';
import {
  CUSTOMER_DELETED,
  CUSTOMER_ZALO_LINKED,
  EVENT_VERSIONS,
  FOLLOWER_PHONE_SHARED,
} from './catalog.generated';
import type { EventHandlers } from './consumer';
import { assertValidEvent } from './contracts';
import { createEvent } from './envelope';
import type { AnyEvent, EventEnvelope } from './envelope';
import { appendEvent, appendEventSql, appendEvents } from './outbox';

const deleted = () =>
  createEvent({
    type: CUSTOMER_DELETED,
    workspaceId: 'types-ws',
    key: '3f1c2b1e-8d7a-4c55-9a43-1d2e3f4a5b6c',
    payload: { customerId: '3f1c2b1e-8d7a-4c55-9a43-1d2e3f4a5b6c', deletedBy: 'u1' },
  });

/** Never called: only compiled. */
async function compileTimeChecks(tx: EntityManager, any: AnyEvent): Promise<void> {
  createEvent({
    type: FOLLOWER_PHONE_SHARED,
    workspaceId: 'w',
    key: 'k',
    // @ts-expect-error a payload of another shape
    payload: { wrong: 1 },
  });
  createEvent({
    type: CUSTOMER_DELETED,
    workspaceId: 'w',
    key: 'k',
    // @ts-expect-error deletedBy is required
    payload: { customerId: 'c' },
  });
  createEvent({
    // @ts-expect-error not a catalog type
    type: 'contacts.customer.renamed',
    workspaceId: 'w',
    key: 'k',
    payload: { customerId: 'c', deletedBy: 'u' },
  });
  const event = deleted();
  await appendEvent(tx, event);
  await appendEvent(tx, {
    ...event,
    type: FOLLOWER_PHONE_SHARED,
    // @ts-expect-error the payload must be the type's, not another type's
    payload: { wrong: 1 },
  });
  // @ts-expect-error an untyped envelope is not a catalog event
  await appendEvent(tx, event as unknown as EventEnvelope);
  await appendEvents(tx, [event, deleted()]);
  // @ts-expect-error followerId is not a field of contacts.customer.deleted
  appendEventSql(event, { firstParam: 1, payloadFrom: { followerId: 'x' } });

  const handlers: EventHandlers = {
    [FOLLOWER_PHONE_SHARED]: async (_tx, e) => {
      const phone: string = e.payload.phoneE164;
      // @ts-expect-error phone-shared has no customerId
      void e.payload.customerId;
      void phone;
    },
    [CUSTOMER_ZALO_LINKED]: {
      async batch(_tx, events) {
        const created: boolean[] = events.map((e) => e.payload.created);
        void created;
      },
    },
  };
  const wrong: EventHandlers = {
    // @ts-expect-error a handler for zalo-linked events given to contacts.customer.deleted
    [CUSTOMER_DELETED]: handlers[CUSTOMER_ZALO_LINKED],
  };
  void wrong;

  if (any.type === CUSTOMER_ZALO_LINKED) {
    // Narrowing on the type narrows the payload.
    const followerId: string = any.payload.followerId;
    void followerId;
  }
}

// Referenced so it is compiled (and not reported unused), never run.
void compileTimeChecks;

describe('typed events', () => {
  it('createEvent stamps the version the catalog gives the type, and makes a valid event', () => {
    const event = deleted();
    expect(event.version).toBe(EVENT_VERSIONS[CUSTOMER_DELETED]);
    expect(() => assertValidEvent(event)).not.toThrow();
  });

  it('appendEventSql validates before building SQL, and numbers its parameters from firstParam', () => {
    const event = deleted();
    const insert = appendEventSql(event, {
      firstParam: 4,
      from: 'gone',
      payloadFrom: { customerId: 'gone.id::text' },
    });
    expect(insert.sql).toMatch(
      /SELECT \$4::uuid, \$5::text, \$6::text, \$7::text, jsonb_set\(\$8::jsonb, '\{payload,customerId\}', to_jsonb\(gone\.id::text\)\)/,
    );
    expect(insert.sql).toMatch(/FROM gone, \(SELECT pg_notify\('outbox', ''\)\) AS wake/);
    expect(insert.params).toEqual([
      event.id,
      event.workspaceId,
      event.type,
      event.key,
      JSON.stringify(event),
    ]);
    const bad = { ...event, payload: { customerId: 'not-a-uuid', deletedBy: 'u1' } };
    expect(() => appendEventSql(bad, { firstParam: 1 })).toThrow(
      /customerId must match format "uuid"/,
    );
  });
});
