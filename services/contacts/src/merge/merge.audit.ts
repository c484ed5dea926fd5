// The merge audit: each merge's row in merge_audit (who, when, the survivor, the merged
// ids, the choices, the merged records as they were, what moved), listed newest first
// for admins (`mergeAudits`), optionally those a customer took part in.
import type { DataSource } from 'typeorm';
import { badInput, isUuid, newestFirst, toConnection } from '@customer-graph/runtime';
import type { Connection, Page } from '@customer-graph/runtime';

export const AUDITS_NEWEST_FIRST = newestFirst('merged_at');

export interface MergeAuditRow {
  id: string;
  survivorId: string;
  mergedIds: string[];
  mergedBy: string;
  mergedAt: Date;
  choices: unknown;
  merged: unknown;
  moved: unknown;
}

export async function listMergeAudits(
  db: DataSource,
  workspaceId: string,
  customerId: string | null | undefined,
  page: Page,
): Promise<Connection<MergeAuditRow>> {
  if (customerId != null && !isUuid(customerId)) {
    throw badInput('customerId', `"${customerId}" is not a customer id`);
  }
  const params: unknown[] = [workspaceId, customerId ?? null, page.first + 1];
  const after = page.after
    ? `AND (a.merged_at, a.id) < ($${params.push(page.after.keys[0])}::timestamptz, $${params.push(page.after.id)}::uuid)`
    : '';
  const rows: MergeAuditRow[] = await db.query(
    `SELECT a.id, a.survivor_id AS "survivorId", a.merged_ids AS "mergedIds",
            a.merged_by AS "mergedBy", a.merged_at AS "mergedAt", a.choices, a.merged, a.moved
       FROM merge_audit a
      WHERE a.workspace_id = $1
        AND ($2::uuid IS NULL OR a.survivor_id = $2 OR $2 = ANY(a.merged_ids)) ${after}
      ORDER BY a.merged_at DESC, a.id DESC LIMIT $3`,
    params,
  );
  return toConnection(rows, page, (row) => [row.mergedAt.toISOString()]);
}
