// Creating, changing and moving opportunities. Every value is checked before the first
// statement, and each change is made after the opportunity is locked, so a refusal
// writes nothing. Each stage entered (on creation too) is recorded in
// opportunity_stage_change with its time and who moved it.
//
// Who may change what (docs/tasks.md): admins and editors every opportunity; a staff
// member those of the customers assigned to them, wholly, and one they own with
// another's customer all but its owner and its customer.
import type { EntityManager } from 'typeorm';
import { badInput, isUuid, staffScope } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import type { OpportunityInput, OpportunityPatch } from '../generated/graphql';
import { opportunitySelect, TERMINAL_STAGES } from './opportunity.entity';
import type { OpportunityRow, OpportunityStage } from './opportunity.entity';
import { OpportunityErrorCode, opportunityError } from './opportunity.errors';
import { newOpportunity, opportunityChanges } from './opportunity.input';
import { stageOrder } from './opportunity.stages';

const TERMINAL = `ARRAY[${TERMINAL_STAGES.map((s) => `'${s}'`).join(', ')}]`;

export async function createOpportunity(
  tx: EntityManager,
  identity: Identity,
  input: OpportunityInput,
): Promise<OpportunityRow> {
  const o = newOpportunity(input, identity);
  const stage = input.stage ?? (await stageOrder(tx, identity.workspaceId))[0];
  const rows: OpportunityRow[] = await tx.query(
    `WITH created AS (
       INSERT INTO opportunity AS o (workspace_id, customer_id, name, value, stage,
         expected_close_date, owner, note, closed_at, created_by)
       SELECT c.workspace_id, c.id, $3::text, $4::bigint, $5::text, $6::date, $7::text, $8::text,
              CASE WHEN $5::text = ANY(${TERMINAL}) THEN now() END, $9::text
         FROM customer c
        WHERE c.workspace_id = $1 AND c.id = $2 AND ($10::text IS NULL OR c.assigned_staff = $10)
       RETURNING o.*),
     entered AS (
       INSERT INTO opportunity_stage_change (workspace_id, opportunity_id, stage, changed_by)
       SELECT workspace_id, id, stage, created_by FROM created)
     SELECT ${opportunitySelect('o')} FROM created o`,
    [
      identity.workspaceId,
      o.customerId,
      o.name,
      o.value,
      stage,
      o.expectedCloseDate,
      o.owner,
      o.note,
      identity.userId,
      staffScope(identity),
    ],
  );
  if (rows.length === 0) {
    throw opportunityError(
      OpportunityErrorCode.CUSTOMER_NOT_FOUND,
      'input.customerId',
      o.customerId,
    );
  }
  return rows[0];
}

interface LockedOpportunity {
  stage: OpportunityStage;
  customerId: string;
  owner: string | null;
  /** Whether the caller may change everything of it (not only as its owner). */
  whole: boolean;
}

/** Locks an opportunity the caller may change; NOT_FOUND (naming `id`) when unseen. */
async function lockOpportunity(
  tx: EntityManager,
  identity: Identity,
  id: string,
): Promise<LockedOpportunity> {
  if (!isUuid(id)) throw badInput('id', `"${id}" is not an opportunity id`);
  const staff = staffScope(identity);
  const rows: LockedOpportunity[] = await tx.query(
    `SELECT o.stage, o.customer_id AS "customerId", o.owner,
            ($3::text IS NULL OR c.assigned_staff = $3) AS whole
       FROM opportunity o
       JOIN customer c ON c.workspace_id = o.workspace_id AND c.id = o.customer_id
      WHERE o.workspace_id = $1 AND o.id = $2
        AND ($3::text IS NULL OR c.assigned_staff = $3 OR o.owner = $3)
      FOR UPDATE OF o`,
    [identity.workspaceId, id, staff],
  );
  if (rows.length === 0) {
    throw opportunityError(OpportunityErrorCode.OPPORTUNITY_NOT_FOUND, 'id', id);
  }
  return rows[0];
}

async function readOpportunity(tx: EntityManager, workspaceId: string, id: string) {
  const [row] = await tx.query(
    `SELECT ${opportunitySelect('o')} FROM opportunity o WHERE o.workspace_id = $1 AND o.id = $2`,
    [workspaceId, id],
  );
  return row as OpportunityRow;
}

export async function updateOpportunity(
  tx: EntityManager,
  identity: Identity,
  id: string,
  patch: OpportunityPatch,
): Promise<OpportunityRow> {
  const changes = opportunityChanges(patch);
  const current = await lockOpportunity(tx, identity, id);
  const moves = changes.customerId !== undefined && changes.customerId !== current.customerId;
  if (!current.whole && changes.owner !== undefined && changes.owner !== current.owner) {
    throw opportunityError(OpportunityErrorCode.NOT_YOUR_CUSTOMER, 'input.owner', 'the owner');
  }
  if (!current.whole && moves) {
    throw opportunityError(
      OpportunityErrorCode.NOT_YOUR_CUSTOMER,
      'input.customerId',
      'the customer',
    );
  }
  if (moves) {
    const [target] = await tx.query(
      `SELECT 1 AS ok FROM customer WHERE workspace_id = $1 AND id = $2
          AND ($3::text IS NULL OR assigned_staff = $3)`,
      [identity.workspaceId, changes.customerId, staffScope(identity)],
    );
    if (!target) {
      throw opportunityError(
        OpportunityErrorCode.CUSTOMER_NOT_FOUND,
        'input.customerId',
        changes.customerId!,
      );
    }
  }
  const params: unknown[] = [identity.workspaceId, id];
  const add = (value: unknown) => `$${params.push(value)}`;
  const sets: string[] = ['updated_at = now()'];
  const columns = {
    name: 'name',
    value: 'value',
    customerId: 'customer_id',
    expectedCloseDate: 'expected_close_date',
    owner: 'owner',
    note: 'note',
  } as const;
  for (const [key, column] of Object.entries(columns) as [keyof typeof columns, string][]) {
    if (key in changes) sets.push(`${column} = ${add(changes[key])}`);
  }
  await tx.query(
    `UPDATE opportunity SET ${sets.join(', ')} WHERE workspace_id = $1 AND id = $2`,
    params,
  );
  return readOpportunity(tx, identity.workspaceId, id);
}

/**
 * Moves an open opportunity to another stage and records it. The same stage again is
 * no change (nothing recorded); a won or lost one moves no more.
 */
export async function moveOpportunity(
  tx: EntityManager,
  identity: Identity,
  id: string,
  stage: OpportunityStage,
): Promise<OpportunityRow> {
  const current = await lockOpportunity(tx, identity, id);
  if (current.stage !== stage) {
    if (TERMINAL_STAGES.includes(current.stage)) {
      throw opportunityError(OpportunityErrorCode.CLOSED, 'stage', current.stage);
    }
    await tx.query(
      `WITH moved AS (
         UPDATE opportunity SET stage = $3, updated_at = now(),
                closed_at = CASE WHEN $3 = ANY(${TERMINAL}) THEN now() END
          WHERE workspace_id = $1 AND id = $2
         RETURNING workspace_id, id)
       INSERT INTO opportunity_stage_change (workspace_id, opportunity_id, stage, changed_by)
       SELECT workspace_id, id, $3, $4 FROM moved`,
      [identity.workspaceId, id, stage, identity.userId],
    );
  }
  return readOpportunity(tx, identity.workspaceId, id);
}
