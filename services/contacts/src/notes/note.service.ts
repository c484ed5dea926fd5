// Notes on a customer: free text, signed by the caller, newest first.
import type { EntityManager } from 'typeorm';
import {
  badInput,
  isUuid,
  publicError,
  PublicErrorCode,
  staffScope,
} from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { text } from '../customers/customer.input';
import type { CustomerNoteRow } from './note.entity';

export const MAX_NOTE = 5000;

export async function addNote(
  tx: EntityManager,
  identity: Identity,
  customerId: string,
  body: string,
): Promise<CustomerNoteRow> {
  const note = text(body, 'text', MAX_NOTE);
  if (note === null) throw badInput('text', 'a note cannot be empty');
  if (!isUuid(customerId)) throw badInput('customerId', `"${customerId}" is not a customer id`);
  const staff = staffScope(identity);
  const rows = await tx.query(
    `INSERT INTO customer_note (workspace_id, customer_id, text, author)
     SELECT c.workspace_id, c.id, $3, $4 FROM customer c
      WHERE c.workspace_id = $1 AND c.id = $2 AND ($5::text IS NULL OR c.assigned_staff = $5)
     RETURNING id, workspace_id AS "workspaceId", customer_id AS "customerId", text, author,
               created_at AS "createdAt"`,
    [identity.workspaceId, customerId, note, identity.userId, staff],
  );
  if (rows.length === 0) {
    throw publicError(PublicErrorCode.NOT_FOUND, `no customer ${customerId}`, {
      field: 'customerId',
    });
  }
  return rows[0];
}
