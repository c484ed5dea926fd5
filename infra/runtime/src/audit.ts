// The audit trail (docs/audit.md): who did what to which records, when, in which
// request — never the personal values themselves. `recordAudit(tx, identity, entry)`
// is called inside the transaction of the action it describes, so the entry commits
// with the action or not at all:
//   - contacts stores it in its `audit_entry` table (services/contacts/src/audit/);
//   - followers, orders-loyalty and marketing append `<service>.<service>-audit.recorded`
//     through the outbox, which contacts' consumer stores (idempotent by event id).
// Which of the two happens is the sink the service's database was opened with
// (`useAuditSink`, called by startSubgraph): the callers are the same everywhere.
//
// What an entry may hold is checked here, and a breach throws (rolling the action
// back: a bug, caught by the tests): target ids and detail strings are ids, keys and
// kinds (letters, digits and `_.,:-`, no spaces, no `@`), so a name, an address, an
// email or a note cannot be put there by mistake; detail is a few flat values.
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Identity, Role } from './identity';
import { currentRequest } from './request-id';
import { appendEvent } from './events/outbox';
import { createEvent } from './events/envelope';
import {
  FOLLOWERS_AUDIT_RECORDED,
  MARKETING_AUDIT_RECORDED,
  ORDERS_AUDIT_RECORDED,
} from './events/catalog.generated';
import { AUDIT_ACTIONS } from './audit-actions';
import type { AuditAction } from './audit-actions';

export type AuditDetail = Record<string, string | number | boolean>;

/** What the caller says of its action (the contract's `entry`). */
export interface AuditEntryInput {
  action: AuditAction;
  /** What kind of record the ids name: a GraphQL type name (Customer, BulkJob …). */
  targetType: string;
  /** The records acted on (at most MAX_AUDIT_TARGETS; a large action gives counts in detail). */
  targetIds: string[];
  /** Ids, counts and kinds only (at most MAX_AUDIT_DETAIL_KEYS). */
  detail?: AuditDetail;
}

/** An entry as it is stored or sent: the input, plus who, when and in which request. */
export interface AuditRecord extends Required<AuditEntryInput> {
  id: string;
  workspaceId: string;
  actorUserId: string;
  actorRole: Role;
  at: Date;
  requestId: string | null;
}

/** Where a service's entries go: contacts' table, or the outbox. */
export type AuditSink = (tx: EntityManager, record: AuditRecord) => Promise<void>;

export const MAX_AUDIT_TARGETS = 100;
export const MAX_AUDIT_DETAIL_KEYS = 12;

/** An id, a key or a kind: no spaces, no `@`, nothing a name, address or email needs. */
const TOKEN = /^[A-Za-z0-9_.,:-]{1,200}$/;
const DETAIL_KEY = /^[a-z][A-Za-z0-9]{0,39}$/;
const TARGET_TYPE = /^[A-Z][A-Za-z]{1,39}$/;

export class AuditEntryError extends Error {
  override name = 'AuditEntryError';
}

/** Throws AuditEntryError for what an entry may not hold (module comment). */
export function checkAuditEntry(entry: AuditEntryInput): void {
  const fail = (why: string) => {
    throw new AuditEntryError(`audit entry ${entry.action}: ${why}`);
  };
  if (!(AUDIT_ACTIONS as readonly string[]).includes(entry.action)) fail('unknown action');
  if (!TARGET_TYPE.test(entry.targetType)) fail(`bad target type "${entry.targetType}"`);
  if (entry.targetIds.length > MAX_AUDIT_TARGETS) {
    fail(`${entry.targetIds.length} target ids (at most ${MAX_AUDIT_TARGETS}; give a count)`);
  }
  for (const id of entry.targetIds) if (!TOKEN.test(id)) fail('a target id is not an id');
  const detail = Object.entries(entry.detail ?? {});
  if (detail.length > MAX_AUDIT_DETAIL_KEYS) fail('too much detail');
  for (const [key, value] of detail) {
    if (!DETAIL_KEY.test(key)) fail(`bad detail key "${key}"`);
    if (typeof value === 'number' && !Number.isFinite(value)) fail(`detail ${key} is not finite`);
    if (typeof value === 'string' && !TOKEN.test(value)) fail(`detail ${key} is not a kind or id`);
    if (!['string', 'number', 'boolean'].includes(typeof value)) fail(`detail ${key} is not flat`);
  }
}

const sinks = new WeakMap<DataSource, AuditSink>();

/** Entries written through `db` (and its transactions) go to `sink`. */
export function useAuditSink(db: DataSource, sink: AuditSink): void {
  sinks.set(db, sink);
}

/** The services that send their entries to contacts, and the event type each uses. */
export const AUDIT_EVENT_TYPES = {
  followers: FOLLOWERS_AUDIT_RECORDED,
  'orders-loyalty': ORDERS_AUDIT_RECORDED,
  marketing: MARKETING_AUDIT_RECORDED,
} as const;

/** A sink appending the entry as `type` through the outbox, in the action's transaction. */
export function auditEventSink(
  type: (typeof AUDIT_EVENT_TYPES)[keyof typeof AUDIT_EVENT_TYPES],
): AuditSink {
  return async (tx, record) => {
    const event = createEvent({
      type,
      workspaceId: record.workspaceId,
      key: record.targetIds[0] ?? record.workspaceId,
      payload: {
        action: record.action,
        actorUserId: record.actorUserId,
        actorRole: record.actorRole,
        targetType: record.targetType,
        targetIds: record.targetIds,
        requestId: record.requestId,
        at: record.at.toISOString(),
        detail: record.detail,
      },
    });
    await appendEvent(tx, { ...event, id: record.id });
  };
}

/** The sink of a service that has no table of its own: its event type, if it has one. */
export function defaultAuditSink(service: string): AuditSink | undefined {
  const type = AUDIT_EVENT_TYPES[service as keyof typeof AUDIT_EVENT_TYPES];
  return type ? auditEventSink(type) : undefined;
}

/**
 * Records `entry` as done by `identity`, in `tx` (the action's transaction). The
 * request id is the identity's (signed by the gateway), else the request being served.
 */
export async function recordAudit(
  tx: EntityManager,
  identity: Identity,
  entry: AuditEntryInput,
): Promise<void> {
  checkAuditEntry(entry);
  const sink = sinks.get(tx.connection);
  if (!sink) throw new AuditEntryError('this database has no audit sink (useAuditSink)');
  await sink(tx, {
    id: randomUUID(),
    workspaceId: identity.workspaceId,
    actorUserId: identity.userId,
    actorRole: identity.role,
    action: entry.action,
    targetType: entry.targetType,
    targetIds: entry.targetIds,
    detail: entry.detail ?? {},
    at: new Date(),
    requestId: identity.requestId ?? currentRequest()?.requestId ?? null,
  });
}
