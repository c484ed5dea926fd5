import { isUuid, newestFirst, pageOf, toConnection } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { IMPORT_SELECT } from './import.entity';
import type { OrderImportRow } from './import.entity';
import { ERRORS_BY_LINE } from './import.loaders';
import { startImport } from './import.service';

/** Imports are listed newest first. */
const IMPORTS_NEWEST_FIRST = newestFirst('created_at');

export const importResolvers: Resolvers = {
  Query: {
    orderImport: async (_root, { id }, ctx) => {
      if (!isUuid(id)) return null;
      const [row] = await ctx.db.query(
        `SELECT ${IMPORT_SELECT} FROM order_import o WHERE o.workspace_id = $1 AND o.id = $2`,
        [ctx.workspaceId, id],
      );
      return (row as OrderImportRow | undefined) ?? null;
    },
    orderImports: async (_root, args, ctx, info) => {
      const page = pageOf(args, info, IMPORTS_NEWEST_FIRST);
      const params: unknown[] = [ctx.workspaceId];
      let after = '';
      if (page.after) {
        params.push(page.after.keys[0], page.after.id);
        after = 'AND (o.created_at, o.id) < ($2::timestamptz, $3::uuid)';
      }
      const rows: OrderImportRow[] = await ctx.db.query(
        `SELECT ${IMPORT_SELECT} FROM order_import o WHERE o.workspace_id = $1 ${after}
          ORDER BY o.created_at DESC, o.id DESC LIMIT ${page.first + 1}`,
        params,
      );
      return toConnection(rows, page, (row) => [row.createdAt.toISOString()]);
    },
  },
  Mutation: {
    importOrdersCsv: async (_root, { source, csv }, ctx) => {
      const job = await startImport(ctx.db, ctx.identity, source, csv);
      return { ...job, csv: null };
    },
  },
  OrderImport: {
    errors: (job, args, ctx, info) =>
      ctx.loaders.imports.errors(pageOf(args, info, ERRORS_BY_LINE)).load(job.id),
  },
};

export const importAccess: AccessRules = {
  // Imports hold the orders' buyers and what was wrong with them: the roles that
  // import (admins and editors), like upsertOrders.
  'Query.orderImport': { can: 'workspace.edit' },
  'Query.orderImports': { can: 'workspace.edit' },
  'Mutation.importOrdersCsv': { can: 'workspace.edit' },
  'OrderImport.errors': { inherit: 'a list of an import already checked' },
};
