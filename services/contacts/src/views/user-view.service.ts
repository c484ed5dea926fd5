// Per-user views (seeds 001, 003): the columns a user shows in the customer list, a
// filter to apply next time, and the detail tabs shown and their order. Keyed by the
// signed user id, so nobody reads or changes anyone else's. A user who saved no tabs
// sees the workspace's default ones (workspace-view.service.ts), else the built-in.
import type { DataSource } from 'typeorm';
import { badInput } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import type { CustomerFilterInput } from '../filter/filter.types';
import { compileWhere } from '../customers/customer.list';
import type { CustomFieldRow } from '../custom-fields/custom-field.entity';
import type { DetailTabsSource } from '../generated/graphql';
import { BUILT_IN_TABS, checkTabs } from './workspace-view.service';
import type { DetailTab } from './workspace-view.service';

export const SYSTEM_COLUMNS = [
  'name',
  'phone',
  'email',
  'address',
  'city',
  'birthday',
  'gender',
  'timezone',
  'type',
  'tags',
  'labels',
  'assignedStaff',
  'group',
  'externalIds',
  'createdAt',
  'updatedAt',
] as const;

export interface UserView {
  listColumns: string[];
  savedFilter: CustomerFilterInput | null;
  applySavedFilter: boolean;
  detailTabs: DetailTab[];
  detailTabsSource: DetailTabsSource;
}

const DEFAULT_COLUMNS = ['name', 'phone', 'email', 'type', 'tags', 'createdAt'];

/** The user's view, the workspace's default tabs and the built-in ones in one statement. */
export async function readView(db: DataSource, identity: Identity): Promise<UserView> {
  const [row] = await db.query(
    `SELECT u.list_columns AS "listColumns", u.saved_filter AS "savedFilter",
            u.apply_saved_filter AS "applySavedFilter", u.detail_tabs AS "userTabs",
            w.detail_tabs AS "workspaceTabs"
       FROM (SELECT $1::text AS workspace_id) ws
       LEFT JOIN user_view u ON u.workspace_id = ws.workspace_id AND u.user_id = $2
       LEFT JOIN workspace_view w ON w.workspace_id = ws.workspace_id`,
    [identity.workspaceId, identity.userId],
  );
  const [detailTabs, detailTabsSource]: [DetailTab[], DetailTabsSource] = row.userTabs
    ? [row.userTabs, 'USER']
    : row.workspaceTabs
      ? [row.workspaceTabs, 'WORKSPACE']
      : [[...BUILT_IN_TABS], 'BUILT_IN'];
  return {
    listColumns: row.listColumns ?? DEFAULT_COLUMNS,
    savedFilter: row.savedFilter ?? null,
    applySavedFilter: row.applySavedFilter ?? false,
    detailTabs,
    detailTabsSource,
  };
}

function checkColumns(columns: string[], customFields: ReadonlyMap<string, CustomFieldRow>) {
  const known = new Set<string>(SYSTEM_COLUMNS);
  if (columns.length > 50) throw badInput('input.listColumns', 'at most 50 columns');
  columns.forEach((column, i) => {
    const custom = column.startsWith('custom.') && customFields.has(column.slice(7));
    if (!known.has(column) && !custom) {
      throw badInput(`input.listColumns[${i}]`, `"${column}" is not a column of the list`);
    }
  });
  if (new Set(columns).size !== columns.length) {
    throw badInput('input.listColumns', 'a column is listed twice');
  }
}

export interface ViewChanges {
  listColumns?: string[] | null;
  savedFilter?: CustomerFilterInput | null;
  applySavedFilter?: boolean | null;
  detailTabs?: DetailTab[] | null;
}

export async function saveView(
  db: DataSource,
  identity: Identity,
  customFields: ReadonlyMap<string, CustomFieldRow>,
  input: ViewChanges,
): Promise<UserView> {
  if (input.listColumns != null) checkColumns(input.listColumns, customFields);
  if (input.detailTabs != null) {
    checkTabs(input.detailTabs, 'input.detailTabs', { atLeastOne: false });
  }
  if (input.savedFilter != null) {
    // The filter must compile now; it is kept as JSON (dates as ISO strings).
    await compileWhere(
      db,
      { workspaceId: identity.workspaceId, staffUserId: null, customFields },
      input.savedFilter,
      'input.savedFilter',
    );
  }
  const filter = 'savedFilter' in input ? JSON.stringify(input.savedFilter ?? null) : null;
  await db.query(
    `INSERT INTO user_view (workspace_id, user_id, list_columns, saved_filter, apply_saved_filter,
                            detail_tabs)
     VALUES ($1, $2, $3, $4::jsonb, COALESCE($5, false), $6)
     ON CONFLICT (workspace_id, user_id) DO UPDATE SET
       list_columns = COALESCE($3, user_view.list_columns),
       saved_filter = CASE WHEN $7 THEN $4::jsonb ELSE user_view.saved_filter END,
       apply_saved_filter = COALESCE($5, user_view.apply_saved_filter),
       detail_tabs = CASE WHEN $8 THEN $6 ELSE user_view.detail_tabs END,
       updated_at = now()`,
    [
      identity.workspaceId,
      identity.userId,
      input.listColumns ?? null,
      filter === 'null' ? null : filter,
      input.applySavedFilter ?? null,
      input.detailTabs ?? null,
      'savedFilter' in input,
      // Given as null, the user's own tabs are forgotten: the workspace's apply again.
      'detailTabs' in input,
    ],
  );
  return readView(db, identity);
}
