// Writing audit entries into audit_entry: contacts' own (the audit sink recordAudit
// uses here, in the action's transaction) and the other services' (their
// `<service>.<service>-audit.recorded` events, consumed in one statement per run,
// stored under the event id so a redelivery stores nothing more).
import type { EntityManager } from 'typeorm';
import {
  AUDIT_ACTIONS,
  FOLLOWERS_AUDIT_RECORDED,
  MARKETING_AUDIT_RECORDED,
  ORDERS_AUDIT_RECORDED,
  PermanentEventError,
} from '@customer-graph/runtime';
import type { AuditRecord, AuditSink, BatchEventHandler, EventOf } from '@customer-graph/runtime';

type AuditEventType =
  typeof FOLLOWERS_AUDIT_RECORDED | typeof ORDERS_AUDIT_RECORDED | typeof MARKETING_AUDIT_RECORDED;

/** The service each audit event type comes from. */
const SERVICE_OF: Record<AuditEventType, string> = {
  [FOLLOWERS_AUDIT_RECORDED]: 'followers',
  [ORDERS_AUDIT_RECORDED]: 'orders-loyalty',
  [MARKETING_AUDIT_RECORDED]: 'marketing',
};

interface StoredRow {
  id: string;
  workspaceId: string;
  at: string;
  service: string;
  actorUserId: string;
  actorRole: string;
  action: string;
  targetType: string;
  targetIds: string[];
  requestId: string | null;
  detail: Record<string, unknown>;
}

async function insertRows(tx: Pick<EntityManager, 'query'>, rows: StoredRow[]): Promise<void> {
  if (rows.length === 0) return;
  // target_ids travel as JSON arrays: unnest cannot take an array of arrays of any length.
  await tx.query(
    `INSERT INTO audit_entry (id, workspace_id, at, service, actor_user_id, actor_role, action,
       target_type, target_ids, request_id, detail)
     SELECT r.id, r.ws, r.at, r.service, r.actor, r.role, r.action, r.target_type,
            ARRAY(SELECT jsonb_array_elements_text(r.targets)), r.request_id, r.detail
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[],
                   $7::text[], $8::text[], $9::jsonb[], $10::text[], $11::jsonb[])
            AS r(id, ws, at, service, actor, role, action, target_type, targets, request_id, detail)
     ON CONFLICT (id) DO NOTHING`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.workspaceId),
      rows.map((r) => r.at),
      rows.map((r) => r.service),
      rows.map((r) => r.actorUserId),
      rows.map((r) => r.actorRole),
      rows.map((r) => r.action),
      rows.map((r) => r.targetType),
      rows.map((r) => JSON.stringify(r.targetIds)),
      rows.map((r) => r.requestId),
      rows.map((r) => JSON.stringify(r.detail)),
    ],
  );
}

/** contacts' audit sink: the entry goes into audit_entry in the action's transaction. */
export const storeAuditEntry: AuditSink = (tx, record: AuditRecord) =>
  insertRows(tx, [{ ...record, at: record.at.toISOString(), service: 'contacts' }]);

/** An entry another service sent must name a known action and hold flat detail. */
function checkSent(event: EventOf<AuditEventType>): void {
  const { action, detail } = event.payload;
  if (!(AUDIT_ACTIONS as readonly string[]).includes(action)) {
    throw new PermanentEventError(`unknown audit action ${action} (deploy contacts first)`);
  }
  for (const [key, value] of Object.entries(detail)) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new PermanentEventError(`audit detail ${key} is not a string, number or boolean`);
    }
  }
}

/** Stores a run of another service's audit events. */
function storeSent<T extends AuditEventType>(): BatchEventHandler<T> {
  return {
    async batch(tx, events) {
      const sent = events as EventOf<AuditEventType>[];
      sent.forEach(checkSent);
      await insertRows(
        tx,
        sent.map(({ id, workspaceId, type, payload: p }) => ({
          id,
          workspaceId,
          service: SERVICE_OF[type],
          at: p.at,
          actorUserId: p.actorUserId,
          actorRole: p.actorRole,
          action: p.action,
          targetType: p.targetType,
          targetIds: p.targetIds,
          requestId: p.requestId,
          detail: p.detail,
        })),
      );
    },
  };
}

export const auditEventHandlers = {
  [FOLLOWERS_AUDIT_RECORDED]: storeSent<typeof FOLLOWERS_AUDIT_RECORDED>(),
  [ORDERS_AUDIT_RECORDED]: storeSent<typeof ORDERS_AUDIT_RECORDED>(),
  [MARKETING_AUDIT_RECORDED]: storeSent<typeof MARKETING_AUDIT_RECORDED>(),
};
