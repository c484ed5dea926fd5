// `auditLog`: the workspace's audit entries newest first, by keyset (at, id), filtered
// by action, actor, a target id and a time range; only the conditions given go into
// the statement, so each filter meets its index (audit migration).
import type { DataSource } from 'typeorm';
import { badInput, newestFirst, toConnection } from '@customer-graph/runtime';
import type { Connection, Page } from '@customer-graph/runtime';
import type { AuditAction, AuditLogFilter } from '../generated/graphql';

export const AUDIT_NEWEST_FIRST = newestFirst('at');

/** The most actions one filter names (there are fewer kinds; duplicates are harmless). */
export const MAX_FILTER_ACTIONS = 50;
const MAX_ID_LENGTH = 200;

export interface AuditEntryRow {
  id: string;
  action: AuditAction;
  actorUserId: string;
  actorRole: string;
  targetType: string;
  targetIds: string[];
  at: Date;
  requestId: string | null;
  service: string;
  detail: Record<string, unknown>;
}

/** The filter as SQL conditions on `audit_entry a`, parameters pushed onto `params`. */
function conditions(filter: AuditLogFilter | null | undefined, params: unknown[]): string[] {
  const add = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  if (!filter) return where;
  const { actions, actorUserId, targetId } = filter;
  const from = filter.from == null ? null : new Date(filter.from);
  const to = filter.to == null ? null : new Date(filter.to);
  if (actions != null) {
    if (actions.length === 0 || actions.length > MAX_FILTER_ACTIONS) {
      throw badInput('filter.actions', `1 to ${MAX_FILTER_ACTIONS} actions`);
    }
    where.push(`a.action = ANY(${add(actions)}::text[])`);
  }
  if (actorUserId != null) {
    if (actorUserId === '' || actorUserId.length > MAX_ID_LENGTH) {
      throw badInput('filter.actorUserId', `a user id of 1 to ${MAX_ID_LENGTH} characters`);
    }
    where.push(`a.actor_user_id = ${add(actorUserId)}`);
  }
  if (targetId != null) {
    if (targetId === '' || targetId.length > MAX_ID_LENGTH) {
      throw badInput('filter.targetId', `an id of 1 to ${MAX_ID_LENGTH} characters`);
    }
    where.push(`a.target_ids @> ARRAY[${add(targetId)}::text]`);
  }
  if (from != null && to != null && from.getTime() > to.getTime()) {
    throw badInput('filter.to', '`to` is before `from`');
  }
  if (from != null) where.push(`a.at >= ${add(from)}::timestamptz`);
  if (to != null) where.push(`a.at < ${add(to)}::timestamptz`);
  return where;
}

export async function listAuditLog(
  db: DataSource,
  workspaceId: string,
  filter: AuditLogFilter | null | undefined,
  page: Page,
): Promise<Connection<AuditEntryRow>> {
  const params: unknown[] = [workspaceId];
  const where = ['a.workspace_id = $1', ...conditions(filter, params)];
  if (page.after) {
    where.push(
      `(a.at, a.id) < ($${params.push(page.after.keys[0])}::timestamptz, $${params.push(page.after.id)}::uuid)`,
    );
  }
  const rows: AuditEntryRow[] = await db.query(
    `SELECT a.id, a.action, a.actor_user_id AS "actorUserId", a.actor_role AS "actorRole",
            a.target_type AS "targetType", a.target_ids AS "targetIds", a.at,
            a.request_id AS "requestId", a.service, a.detail
       FROM audit_entry a
      WHERE ${where.join(' AND ')}
      ORDER BY a.at DESC, a.id DESC LIMIT $${params.push(page.first + 1)}`,
    params,
  );
  return toConnection(rows, page, (row) => [row.at.toISOString()]);
}
