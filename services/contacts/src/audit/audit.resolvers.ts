import { pageOf } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { AUDIT_NEWEST_FIRST, listAuditLog } from './audit.log';

export const auditResolvers: Resolvers = {
  Query: {
    auditLog: (_parent, { filter, ...args }, ctx, info) =>
      listAuditLog(ctx.db, ctx.workspaceId, filter, pageOf(args, info, AUDIT_NEWEST_FIRST)),
  },
};

export const auditAccess: AccessRules = {
  'Query.auditLog': { can: 'audit.read' },
};
