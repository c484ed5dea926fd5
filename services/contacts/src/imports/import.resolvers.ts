import {
  isUuid,
  newestFirst,
  pageOf,
  requireCapability,
  toConnection,
} from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { CustomerImportField, Resolvers } from '../generated/graphql';
import { downloadable, findFile } from '../files/file.store';
import { IMPORT_SELECT } from './import.entity';
import type { CustomerImportRow } from './import.entity';
import { ERRORS_BY_LINE } from './import.loaders';
import { startImport } from './import.service';

/** Imports are listed newest first. */
const IMPORTS_NEWEST_FIRST = newestFirst('created_at');

export const importResolvers: Resolvers = {
  Query: {
    importJob: async (_root, { id }, ctx) => {
      if (!isUuid(id)) return null;
      const [row] = await ctx.db.query(
        `SELECT ${IMPORT_SELECT} FROM customer_import i WHERE i.workspace_id = $1 AND i.id = $2`,
        [ctx.workspaceId, id],
      );
      return (row as CustomerImportRow | undefined) ?? null;
    },
    importJobs: async (_root, args, ctx, info) => {
      const page = pageOf(args, info, IMPORTS_NEWEST_FIRST);
      const params: unknown[] = [ctx.workspaceId];
      let after = '';
      if (page.after) {
        params.push(page.after.keys[0], page.after.id);
        after = 'AND (i.created_at, i.id) < ($2::timestamptz, $3::uuid)';
      }
      const rows: CustomerImportRow[] = await ctx.db.query(
        `SELECT ${IMPORT_SELECT} FROM customer_import i WHERE i.workspace_id = $1 ${after}
          ORDER BY i.created_at DESC, i.id DESC LIMIT ${page.first + 1}`,
        params,
      );
      return toConnection(rows, page, (row) => [row.createdAt.toISOString()]);
    },
  },
  Mutation: {
    startCustomerImport: async (_root, { input }, ctx) => {
      // The rule asks workspace.edit; the rows are customers written.
      requireCapability(ctx.identity, 'customers.write', 'startCustomerImport');
      const job = await startImport(ctx.db, ctx.identity, {
        ...input,
        mapping: input.mapping?.map((m) => ({ ...m, field: m.field })),
      });
      return { ...job, csv: null };
    },
  },
  CustomerImportJob: {
    columns: (job) =>
      job.columns.map((c) => ({
        header: c.header,
        field: c.field as CustomerImportField,
        customFieldKey: c.key ?? null,
      })),
    errors: (job, args, ctx, info) =>
      ctx.loaders.imports.errors(pageOf(args, info, ERRORS_BY_LINE)).load(job.id),
    errorFile: async (job, _args, ctx) => {
      if (!job.errorFileId) return null;
      const file = await findFile(ctx.db, ctx.workspaceId, job.errorFileId);
      return file && file.expiresAt > new Date() ? downloadable(file) : null;
    },
  },
  CustomerImportError: {
    field: (error) => error.field as CustomerImportField | null,
  },
};

export const importAccess: AccessRules = {
  // Imports write customers in bulk and hold what was wrong with their rows: the roles
  // that import (admins and editors: customers.write and workspace.edit).
  'Query.importJob': { can: 'workspace.edit' },
  'Query.importJobs': { can: 'workspace.edit' },
  'Mutation.startCustomerImport': { can: 'workspace.edit' },
  'CustomerImportJob.columns': { inherit: 'an import already checked' },
  'CustomerImportJob.errors': { inherit: 'an import already checked' },
  'CustomerImportJob.errorFile': { inherit: 'an import already checked' },
  'CustomerImportError.field': { inherit: 'an error of an import already checked' },
};
