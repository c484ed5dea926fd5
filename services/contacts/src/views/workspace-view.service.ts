// The workspace's default view of the customer screens (seed 003, "Cách 2": tabs set
// up in the settings module): an admin chooses the detail tabs every user of the
// workspace sees until they save tabs of their own. Read at each request, never copied
// into users' views, so a change reaches every such user at once.
import type { DataSource } from 'typeorm';
import { badInput } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import type { CustomerDetailTab } from '../generated/graphql';

export type DetailTab = CustomerDetailTab;

/** The tabs of a workspace whose admin chose none. */
export const BUILT_IN_TABS: readonly DetailTab[] = [
  'INFO',
  'NOTES',
  'ZALO',
  'ORDERS',
  'MARKETING',
  'CALLS',
  'TASKS',
  'OPPORTUNITIES',
  'SAME_PHONE_CUSTOMERS',
  'SAME_PHONE_ORDERS',
];

export interface WorkspaceView {
  detailTabs: DetailTab[];
  /** Whether an admin chose the tabs. */
  custom: boolean;
  updatedBy: string | null;
  updatedAt: Date | null;
}

export async function readWorkspaceView(
  db: DataSource,
  workspaceId: string,
): Promise<WorkspaceView> {
  const [row] = await db.query(
    `SELECT detail_tabs AS "detailTabs", updated_by AS "updatedBy", updated_at AS "updatedAt"
       FROM workspace_view WHERE workspace_id = $1`,
    [workspaceId],
  );
  return {
    detailTabs: row?.detailTabs ?? [...BUILT_IN_TABS],
    custom: row?.detailTabs != null,
    updatedBy: row?.updatedBy ?? null,
    updatedAt: row?.updatedAt ?? null,
  };
}

/** A list of tabs is a page's: each tab once (and, for a workspace's default, some tab). */
export function checkTabs(tabs: DetailTab[], field: string, options: { atLeastOne: boolean }) {
  if (options.atLeastOne && tabs.length === 0) {
    throw badInput(field, 'the default page needs at least one tab');
  }
  if (new Set(tabs).size !== tabs.length) throw badInput(field, 'a tab is listed twice');
}

export interface WorkspaceViewChanges {
  /** null: back to the built-in tabs; left out: unchanged. */
  detailTabs?: DetailTab[] | null;
}

export async function saveWorkspaceView(
  db: DataSource,
  identity: Identity,
  input: WorkspaceViewChanges,
): Promise<WorkspaceView> {
  if (input.detailTabs != null) {
    checkTabs(input.detailTabs, 'input.detailTabs', { atLeastOne: true });
  }
  await db.query(
    `INSERT INTO workspace_view (workspace_id, detail_tabs, updated_by)
     VALUES ($1, $2, $3)
     ON CONFLICT (workspace_id) DO UPDATE SET
       detail_tabs = CASE WHEN $4 THEN EXCLUDED.detail_tabs ELSE workspace_view.detail_tabs END,
       updated_by = EXCLUDED.updated_by,
       updated_at = now()`,
    [identity.workspaceId, input.detailTabs ?? null, identity.userId, 'detailTabs' in input],
  );
  return readWorkspaceView(db, identity.workspaceId);
}
