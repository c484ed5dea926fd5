// Asking for an export and reading jobs back. What a target means is the list
// language's: a filter is compiled as the customer list compiles it, a saved list is
// `inList`, a split group is the filter `splitList` gives for it (the list and a
// (createdAt, id) range), so an export holds exactly the customers the product shows.
import type { DataSource } from 'typeorm';
import {
  AuditAction,
  badInput,
  isUuid,
  recordAudit,
  toConnection,
  uuidv7,
} from '@customer-graph/runtime';
import type { Connection, Identity, Page } from '@customer-graph/runtime';
import type { CustomerExportInput, CustomerExportTarget } from '../generated/graphql';
import type { CustomerFilterInput } from '../filter/filter.types';
import { compileWhere } from '../customers/customer.list';
import type { ListScope } from '../customers/customer.list';
import { findList, splitList } from '../lists/list.service';
import { MAX_SPLIT_PARTS } from '../lists/list-split';
import { checkLayout } from './export.columns';
import { JOB_FROM, JOB_SELECT } from './export-job.types';
import type { ExportJobRow } from './export-job.types';

const json = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/** The target as stored (what was asked) and the filter it stands for. */
export async function resolveTarget(
  db: DataSource,
  scope: ListScope,
  target: CustomerExportTarget,
): Promise<{ target: Record<string, unknown>; filter: CustomerFilterInput }> {
  const { filter, listId, split } = target;
  if ((filter == null) === (listId == null)) {
    throw badInput('input.target', 'give exactly one of filter or listId');
  }
  if (filter != null) {
    if (split != null) throw badInput('input.target.split', 'a split needs listId, not a filter');
    // Compiled now so a bad filter is refused before any job exists.
    await compileWhere(db, scope, filter as CustomerFilterInput, 'input.target.filter');
    return { target: { filter: json(filter) }, filter: json(filter as CustomerFilterInput) };
  }
  const id = listId as string;
  await findList(db, scope.workspaceId, id, 'input.target.listId');
  if (split == null) {
    await compileWhere(db, scope, { inList: id }, 'input.target.listId');
    return { target: { listId: id }, filter: { inList: id } };
  }
  const { parts, part } = split;
  if (!Number.isInteger(parts) || parts < 2 || parts > MAX_SPLIT_PARTS) {
    throw badInput(
      'input.target.split.parts',
      `must be a whole number from 2 to ${MAX_SPLIT_PARTS}`,
    );
  }
  if (!Number.isInteger(part) || part < 1 || part > parts) {
    throw badInput('input.target.split.part', `must be a whole number from 1 to ${parts}`);
  }
  const groups = await splitList(db, scope, id, parts);
  return {
    target: { listId: id, split: { parts, part } },
    filter: groups[part - 1].filter,
  };
}

export async function startExport(
  db: DataSource,
  scope: ListScope,
  identity: Identity,
  input: CustomerExportInput,
): Promise<ExportJobRow> {
  const known = new Set((scope.customFields ?? new Map()).keys());
  const layout = checkLayout(input.columns, input.customFields, known);
  const { target, filter } = await resolveTarget(db, scope, input.target);
  const id = uuidv7();
  // The job and its audit entry (who read customers in bulk) commit together.
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO export_job (id, workspace_id, created_by, target, filter, format, columns, custom_fields)
       VALUES ($2, $1, $3, $4, $5, $6, $7, $8)`,
      [
        scope.workspaceId,
        id,
        identity.userId,
        target,
        filter,
        input.format ?? 'CSV',
        layout.columns,
        layout.customFields,
      ],
    );
    await recordAudit(tx, identity, {
      action: AuditAction.CUSTOMERS_EXPORTED,
      targetType: 'ExportJob',
      targetIds: [id],
      detail: {
        format: input.format ?? 'CSV',
        target: 'listId' in target ? ('split' in target ? 'SPLIT_PART' : 'LIST') : 'FILTER',
        columns: layout.columns.length + layout.customFields.length,
      },
    });
  });
  return (await findExportJob(db, scope.workspaceId, id)) as ExportJobRow;
}

export async function findExportJob(
  db: DataSource,
  workspaceId: string,
  id: string,
): Promise<ExportJobRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.query(
    `SELECT ${JOB_SELECT} FROM ${JOB_FROM} WHERE j.workspace_id = $1 AND j.id = $2`,
    [workspaceId, id],
  );
  return row ?? null;
}

/** The workspace's jobs, newest first. */
export async function listExportJobs(
  db: DataSource,
  workspaceId: string,
  page: Page,
): Promise<Connection<ExportJobRow>> {
  const params: unknown[] = [workspaceId, page.first + 1];
  const after = page.after
    ? `AND (j.created_at, j.id) < ($${params.push(page.after.keys[0])}::timestamptz, $${params.push(page.after.id)}::uuid)`
    : '';
  const rows: ExportJobRow[] = await db.query(
    `SELECT ${JOB_SELECT} FROM ${JOB_FROM}
      WHERE j.workspace_id = $1 ${after}
      ORDER BY j.created_at DESC, j.id DESC LIMIT $2`,
    params,
  );
  return toConnection(rows, page, (row) => [row.createdAt.toISOString()]);
}
