// Custom field definitions per workspace, gated by the plan and capped per type
// (seed 001). Creating a field locks the workspace row, so two concurrent creations
// cannot both take the last free place.
import type { DataSource, EntityManager } from 'typeorm';
import { AuditAction, recordAudit } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { CustomFieldEntity } from './custom-field.entity';
import type { CustomFieldRow } from './custom-field.entity';
import { CustomFieldErrorCode, customFieldError } from './custom-field.errors';
import { limitFor, planAllows, validateDefinition } from './custom-field.values';
import type {
  CustomFieldDefinition,
  CustomFieldDefinitionInput,
  Plan,
} from './custom-field.values';

/** The workspace's fields by key, in the order they were defined. */
export async function loadCustomFields(
  db: DataSource | EntityManager,
  workspaceId: string,
): Promise<Map<string, CustomFieldRow>> {
  const rows = await db.getRepository(CustomFieldEntity).find({
    where: { workspaceId },
    order: { createdAt: 'ASC', key: 'ASC' },
  });
  return new Map(rows.map((row) => [row.key, row]));
}

export async function getPlan(db: DataSource, workspaceId: string): Promise<Plan> {
  const [row] = await db.query('SELECT plan FROM workspace WHERE id = $1', [workspaceId]);
  return (row?.plan ?? 'FREE') as Plan;
}

export async function setPlan(db: DataSource, workspaceId: string, plan: Plan): Promise<Plan> {
  await db.query('UPDATE workspace SET plan = $2 WHERE id = $1', [workspaceId, plan]);
  return plan;
}

export async function createCustomField(
  db: DataSource,
  identity: Identity,
  input: CustomFieldDefinitionInput,
): Promise<CustomFieldRow> {
  const { workspaceId } = identity;
  const def: CustomFieldDefinition = validateDefinition(input, 'input');
  return db.transaction(async (tx) => {
    const [{ plan }] = await tx.query('SELECT plan FROM workspace WHERE id = $1 FOR UPDATE', [
      workspaceId,
    ]);
    if (!planAllows(plan, def.type)) {
      const needed = def.type === 'TABLE' ? 'PREMIUM' : 'TRIAL, ADVANCED or PREMIUM';
      throw customFieldError(
        CustomFieldErrorCode.PLAN_REQUIRED,
        `${def.type} custom fields need the ${needed} plan; this workspace is on ${plan}`,
        { field: 'input.type', plan, requiredPlans: needed.split(/, | or /) },
      );
    }
    const [{ n, taken }] = await tx.query(
      `SELECT count(*) FILTER (WHERE type = $2)::int AS n, bool_or(key = $3) AS taken
         FROM custom_field WHERE workspace_id = $1`,
      [workspaceId, def.type, def.key],
    );
    if (taken) {
      throw customFieldError(
        CustomFieldErrorCode.KEY_TAKEN,
        `a custom field with key "${def.key}" exists`,
        { field: 'input.key' },
      );
    }
    const limit = limitFor(def.type);
    if (n >= limit) {
      throw customFieldError(
        CustomFieldErrorCode.LIMIT_REACHED,
        `a workspace may have at most ${limit} ${def.type} custom fields; it has ${n}`,
        { field: 'input.type', limit },
      );
    }
    const saved = await tx.getRepository(CustomFieldEntity).save({ workspaceId, ...def });
    await recordAudit(tx, identity, {
      action: AuditAction.CUSTOM_FIELD_CREATED,
      targetType: 'CustomField',
      targetIds: [def.key],
      detail: { type: def.type },
    });
    return saved;
  });
}

/** Deletes a field and every customer's value of it, in one transaction. */
export async function deleteCustomField(
  db: DataSource,
  identity: Identity,
  key: string,
): Promise<boolean> {
  const { workspaceId } = identity;
  return db.transaction(async (tx) => {
    const deleted = await tx.query(
      'DELETE FROM custom_field WHERE workspace_id = $1 AND key = $2 RETURNING key',
      [workspaceId, key],
    );
    if (deleted[0].length === 0) {
      throw customFieldError(CustomFieldErrorCode.NOT_FOUND, `no custom field "${key}"`, {
        field: 'key',
      });
    }
    const [, cleared] = (await tx.query(
      `UPDATE customer SET custom = custom - $2::text, updated_at = now()
        WHERE workspace_id = $1 AND custom ? $2::text`,
      [workspaceId, key],
    )) as [unknown, number];
    await recordAudit(tx, identity, {
      action: AuditAction.CUSTOM_FIELD_DELETED,
      targetType: 'CustomField',
      targetIds: [key],
      detail: { customersCleared: cleared },
    });
    return true;
  });
}
