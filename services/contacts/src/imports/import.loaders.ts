// Per-request loaders of the imports module: a page of each import's refused rows, for
// every import of a page in one query.
import type { Connection, Page, RequestScope, SortKey } from '@customer-graph/runtime';
import { alignMany, badInput, isUuid, loaderFamily, toConnection } from '@customer-graph/runtime';
import type DataLoader from 'dataloader';
import type { CustomerImportErrorRow } from './import.entity';

/** Errors are listed by line; the id breaks ties (and makes the cursor). */
export const ERRORS_BY_LINE: readonly SortKey[] = [{ key: 'line', direction: 'ASC', kind: 'text' }];

export interface CustomerImportLoaders {
  /** A page of an import's errors; one query per distinct page. */
  errors: (page: Page) => DataLoader<string, Connection<CustomerImportErrorRow>>;
}

declare module '../context' {
  interface Loaders {
    imports: CustomerImportLoaders;
  }
}

export function createCustomerImportLoaders({
  db,
  workspaceId,
}: RequestScope): CustomerImportLoaders {
  return {
    errors: loaderFamily(async (page: Page, importIds: readonly string[]) => {
      const params: unknown[] = [workspaceId, importIds.filter(isUuid), page.first + 1];
      let after = '';
      if (page.after) {
        const [line] = page.after.keys;
        if (!/^\d{1,9}$/.test(line)) {
          throw badInput('after', `"after" is not a cursor returned by ${page.list}`);
        }
        params.push(Number(line), page.after.id);
        after = 'AND (e.line, e.id) > ($4::int, $5::uuid)';
      }
      const rows: CustomerImportErrorRow[] = await db.query(
        `SELECT e.id, e.import_id AS "importId", e.line, e.column_name AS "column", e.field,
                e.message
           FROM unnest($2::uuid[]) AS i(id)
           CROSS JOIN LATERAL (
             SELECT * FROM customer_import_error e
              WHERE e.workspace_id = $1 AND e.import_id = i.id ${after}
              ORDER BY e.line, e.id LIMIT $3
           ) e
          ORDER BY e.line, e.id`,
        params,
      );
      return alignMany(importIds, rows, (r) => r.importId).map((list) =>
        toConnection(list, page, (r) => [String(r.line)]),
      );
    }),
  };
}
