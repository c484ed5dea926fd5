import type { RequestScope } from '@customer-graph/runtime';
import type { CustomFieldRow } from './custom-field.entity';
import { loadCustomFields } from './custom-field.service';

export interface CustomFieldLoaders {
  /** The workspace's custom fields by key, read once per request. */
  all(): Promise<Map<string, CustomFieldRow>>;
}

declare module '../context' {
  interface Loaders {
    customFields: CustomFieldLoaders;
  }
}

export function createCustomFieldLoaders({ db, workspaceId }: RequestScope): CustomFieldLoaders {
  let fields: Promise<Map<string, CustomFieldRow>> | undefined;
  return { all: () => (fields ??= loadCustomFields(db, workspaceId)) };
}
