// A person's data export as `personExport` shows it, and contacts' own part of it.
import type { EntityManager } from 'typeorm';
import type { PersonExportStatus } from '../generated/graphql';
import { downloadable, findFile } from '../files/file.store';
import { CONFIRMING_SUBGRAPHS } from './erasure.read';

export interface PersonExportView {
  id: string;
  customerId: string;
  status: PersonExportStatus;
  requestedAt: Date;
  partsReceived: string[];
  file: ReturnType<typeof downloadable> | null;
}

export async function personExportOf(
  db: EntityManager,
  workspaceId: string,
  id: string,
): Promise<PersonExportView | null> {
  const [row]: {
    customer_id: string;
    status: PersonExportStatus;
    requested_at: Date;
    file_id: string | null;
  }[] = await db.query(
    `SELECT customer_id, status, requested_at, file_id FROM person_export
      WHERE workspace_id = $1 AND id = $2`,
    [workspaceId, id],
  );
  if (!row) return null;
  const parts: { subgraph: string }[] = await db.query(
    'SELECT subgraph FROM person_export_part WHERE workspace_id = $1 AND export_id = $2',
    [workspaceId, id],
  );
  const file = row.file_id ? await findFile(db, workspaceId, row.file_id) : null;
  return {
    id,
    customerId: row.customer_id,
    status: row.status,
    requestedAt: row.requested_at,
    // Once READY the parts are in the file (and deleted here).
    partsReceived:
      row.status === 'READY' ? [...CONFIRMING_SUBGRAPHS] : parts.map((p) => p.subgraph),
    file: file && file.expiresAt > new Date() ? downloadable(file) : null,
  };
}

/** Contacts' part: the record and every row about the customer. */
export async function contactsPart(tx: EntityManager, workspaceId: string, customerId: string) {
  const q = (sql: string) => tx.query(sql, [workspaceId, customerId]);
  const [customer] = await q(
    `SELECT id, name, email, address, city, birthday, gender, timezone, avatar_url AS "avatarUrl",
            tags, labels, assigned_staff AS "assignedStaff", customer_group AS "group", type,
            custom, created_at AS "createdAt", updated_at AS "updatedAt"
       FROM customer WHERE workspace_id = $1 AND id = $2`,
  );
  if (!customer) return null;
  return {
    customer,
    phones: await q(
      `SELECT number, e164 FROM customer_phone WHERE workspace_id = $1 AND customer_id = $2
        ORDER BY position`,
    ),
    externalIds: await q(
      `SELECT source, external_id AS "externalId" FROM customer_external_id
        WHERE workspace_id = $1 AND customer_id = $2`,
    ),
    notes: await q(
      `SELECT text, author, created_at AS "createdAt" FROM customer_note
        WHERE workspace_id = $1 AND customer_id = $2 ORDER BY created_at`,
    ),
    tasks: await q(
      `SELECT title, description, status, due_at AS "dueAt", created_at AS "createdAt"
         FROM customer_task WHERE workspace_id = $1 AND customer_id = $2 ORDER BY created_at`,
    ),
    calls: await q(
      `SELECT customer_number AS "number", direction, result, started_at AS "startedAt",
              talk_seconds AS "talkSeconds", note
         FROM customer_call WHERE workspace_id = $1 AND customer_id = $2 ORDER BY started_at`,
    ),
    opportunities: await q(
      `SELECT name, value, stage, note, created_at AS "createdAt" FROM opportunity
        WHERE workspace_id = $1 AND customer_id = $2 ORDER BY created_at`,
    ),
  };
}
