import { pageOf } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { AUDITS_NEWEST_FIRST, listMergeAudits } from './merge.audit';
import { mergeCustomers } from './merge.service';

export const mergeResolvers: Resolvers = {
  Query: {
    mergeAudits: (_parent, { customerId, ...args }, ctx, info) =>
      listMergeAudits(ctx.db, ctx.workspaceId, customerId, pageOf(args, info, AUDITS_NEWEST_FIRST)),
  },
  Mutation: {
    mergeCustomers: async (_parent, args, ctx) =>
      mergeCustomers(ctx.db, ctx.identity, await ctx.loaders.customFields.all(), args),
  },
};

export const mergeAccess: AccessRules = {
  // Admins and editors: a merge removes customers and moves everything they held.
  'Mutation.mergeCustomers': { can: 'workspace.edit' },
  // The audit keeps the merged records whole: admins only.
  'Query.mergeAudits': { can: 'settings.manage' },
};
