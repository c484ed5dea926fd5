import { newestFirst, pageOf } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { scopeOf } from '../customers/customer.scope';
import { heavy } from '../customers/heavy-work';
import { downloadable } from '../files/file.store';
import { fileOf } from './export-job.types';
import { findExportJob, listExportJobs, startExport } from './export.service';

const NEWEST_FIRST = newestFirst('created_at');

export const exportResolvers: Resolvers = {
  Query: {
    exportJob: (_parent, { id }, ctx) => findExportJob(ctx.db, ctx.workspaceId, id),
    exportJobs: (_parent, args, ctx, info) =>
      listExportJobs(ctx.db, ctx.workspaceId, pageOf(args, info, NEWEST_FIRST)),
  },
  Mutation: {
    // Compiling the filter (and cutting a list into groups) is heavy work, as a
    // filtered list is. Workspace-wide: whoever may export sees every customer.
    exportCustomers: async (_parent, { input }, ctx) => {
      const scope = { ...(await scopeOf(ctx)), staffUserId: null };
      return heavy(ctx.workspaceId, () => startExport(ctx.db, scope, ctx.identity, input));
    },
  },
  CustomerExportJob: {
    file: (job) => {
      const file = fileOf(job);
      return file ? downloadable(file) : null;
    },
  },
};

export const exportAccess: AccessRules = {
  // An export is every customer of the workspace: admins, editors and analysts.
  'Query.exportJob': { can: 'customers.export' },
  'Query.exportJobs': { can: 'customers.export' },
  'Mutation.exportCustomers': { can: 'customers.export' },
  // Downloading it is checked again by the file store (customers.export, workspace).
  'CustomerExportJob.file': { inherit: 'the job was read through a customers.export field' },
};
