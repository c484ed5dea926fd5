// A person's data export (docs/privacy.md): exportCustomerData records the export and
// publishes contacts.person-export.requested; each of followers, orders-loyalty and
// marketing answers its part (kept in person_export_part); with the last part in,
// contacts writes one JSON document — its own part and the three others — into the
// file store (PERSON_EXPORT, readable with customers.erase) and deletes the parts.
// An erasure cancels the person's pending exports and deletes their parts.
import type { EntityManager } from 'typeorm';
import {
  appendEvent,
  AuditAction,
  recordAudit,
  badInput,
  createEvent,
  FOLLOWERS_PERSON_EXPORT_PART,
  isUuid,
  MARKETING_PERSON_EXPORT_PART,
  ORDERS_PERSON_EXPORT_PART,
  PERSON_EXPORT_REQUESTED,
  publicError,
  PublicErrorCode,
} from '@customer-graph/runtime';
import type { EventHandler, EventOf, Identity } from '@customer-graph/runtime';
import { openFileWriter } from '../files/file.store';
import { CONFIRMING_SUBGRAPHS } from './erasure.read';
import type { ConfirmingSubgraph } from './erasure.read';
import { contactsPart, personExportOf } from './person-export.read';
import type { PersonExportView } from './person-export.read';

export async function requestPersonExport(
  tx: EntityManager,
  identity: Identity,
  customerId: string,
): Promise<PersonExportView> {
  if (!isUuid(customerId)) throw badInput('id', `"${customerId}" is not a customer id`);
  const ws = identity.workspaceId;
  const [row]: { id: string }[] = await tx.query(
    `INSERT INTO person_export (workspace_id, customer_id, requested_by)
     SELECT workspace_id, id, $3 FROM customer WHERE workspace_id = $1 AND id = $2
     RETURNING id`,
    [ws, customerId, identity.userId],
  );
  if (!row) {
    throw publicError(PublicErrorCode.NOT_FOUND, `no customer ${customerId}`, { field: 'id' });
  }
  await appendEvent(
    tx,
    createEvent({
      type: PERSON_EXPORT_REQUESTED,
      workspaceId: ws,
      key: customerId,
      payload: { exportId: row.id, customerId },
    }),
  );
  await recordAudit(tx, identity, {
    action: AuditAction.CUSTOMER_DATA_EXPORTED,
    targetType: 'Customer',
    targetIds: [customerId],
    detail: { exportId: row.id },
  });
  return (await personExportOf(tx, ws, row.id))!;
}

/** Writes the document once every part is in; the parts go. */
async function assemble(tx: EntityManager, ws: string, exportId: string) {
  const [pending]: { customer_id: string; requested_by: string }[] = await tx.query(
    `SELECT customer_id, requested_by FROM person_export
      WHERE workspace_id = $1 AND id = $2 AND status = 'PENDING' FOR UPDATE`,
    [ws, exportId],
  );
  if (!pending) return;
  const parts: { subgraph: string; data: unknown }[] = await tx.query(
    'SELECT subgraph, data FROM person_export_part WHERE workspace_id = $1 AND export_id = $2',
    [ws, exportId],
  );
  if (parts.length < CONFIRMING_SUBGRAPHS.length) return;
  const document = {
    exportId,
    customerId: pending.customer_id,
    exportedAt: new Date().toISOString(),
    contacts: await contactsPart(tx, ws, pending.customer_id),
    ...Object.fromEntries(parts.map((p) => [p.subgraph, p.data])),
  };
  // The store writes on its own connection; a file of a rolled-back assembly expires.
  const writer = await openFileWriter(tx.connection, {
    workspaceId: ws,
    kind: 'PERSON_EXPORT',
    name: `customer-${pending.customer_id}.json`,
    contentType: 'application/json; charset=utf-8',
    createdBy: pending.requested_by,
    capability: 'customers.erase',
  });
  try {
    await writer.write(JSON.stringify(document, null, 2));
    const file = await writer.finish();
    await tx.query(
      `UPDATE person_export SET status = 'READY', file_id = $3, finished_at = now()
        WHERE workspace_id = $1 AND id = $2`,
      [ws, exportId, file.id],
    );
    await tx.query('DELETE FROM person_export_part WHERE workspace_id = $1 AND export_id = $2', [
      ws,
      exportId,
    ]);
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

type Part =
  | EventOf<typeof FOLLOWERS_PERSON_EXPORT_PART>
  | EventOf<typeof ORDERS_PERSON_EXPORT_PART>
  | EventOf<typeof MARKETING_PERSON_EXPORT_PART>;

/** A part is kept only for a pending export of that customer; a redelivered one once. */
async function receive(tx: EntityManager, subgraph: ConfirmingSubgraph, event: Part) {
  const { exportId, customerId, data } = event.payload;
  const kept: unknown[] = await tx.query(
    `INSERT INTO person_export_part (workspace_id, export_id, subgraph, data)
     SELECT workspace_id, id, $4, $5 FROM person_export
      WHERE workspace_id = $1 AND id = $2 AND customer_id = $3 AND status = 'PENDING'
     ON CONFLICT DO NOTHING RETURNING export_id`,
    [event.workspaceId, exportId, customerId, subgraph, JSON.stringify(data)],
  );
  if (kept.length > 0) await assemble(tx, event.workspaceId, exportId);
}

const partHandler =
  <E extends Part>(subgraph: ConfirmingSubgraph): EventHandler<E['type']> =>
  (tx, event) =>
    receive(tx, subgraph, event as Part);

export const personExportHandlers = {
  [FOLLOWERS_PERSON_EXPORT_PART]:
    partHandler<EventOf<typeof FOLLOWERS_PERSON_EXPORT_PART>>('followers'),
  [ORDERS_PERSON_EXPORT_PART]:
    partHandler<EventOf<typeof ORDERS_PERSON_EXPORT_PART>>('orders-loyalty'),
  [MARKETING_PERSON_EXPORT_PART]:
    partHandler<EventOf<typeof MARKETING_PERSON_EXPORT_PART>>('marketing'),
};

/** For an erasure: the person's pending exports are cancelled and their parts deleted. */
export async function forgetPersonExports(
  tx: EntityManager,
  ws: string,
  customerId: string,
): Promise<number> {
  const [, parts] = await tx.query(
    `DELETE FROM person_export_part p USING person_export e
      WHERE p.workspace_id = $1 AND e.workspace_id = $1 AND p.export_id = e.id
        AND e.customer_id = $2`,
    [ws, customerId],
  );
  await tx.query(
    `UPDATE person_export SET status = 'CANCELLED', finished_at = now()
      WHERE workspace_id = $1 AND customer_id = $2 AND status = 'PENDING'`,
    [ws, customerId],
  );
  return parts;
}
