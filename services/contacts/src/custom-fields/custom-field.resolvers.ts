import { requireRole } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { ADMIN_ROLES, requireRead } from '../customers/customer.access';
import type { CustomFieldDefinitionInput } from './custom-field.values';
import { createCustomField, deleteCustomField, getPlan, setPlan } from './custom-field.service';

export const customFieldResolvers: Resolvers = {
  Query: {
    customFields: async (_parent, _args, ctx) => {
      requireRead(ctx.identity, 'customFields');
      return [...(await ctx.loaders.customFields.all()).values()];
    },
    workspacePlan: (_parent, _args, ctx) => getPlan(ctx.db, ctx.workspaceId),
  },
  Mutation: {
    createCustomField: (_parent, { input }, ctx) => {
      requireRole(ctx.identity, ADMIN_ROLES, 'createCustomField');
      // Checked field by field by validateDefinition; the GraphQL type only shapes it.
      return createCustomField(ctx.db, ctx.workspaceId, input as CustomFieldDefinitionInput);
    },
    deleteCustomField: (_parent, { key }, ctx) => {
      requireRole(ctx.identity, ADMIN_ROLES, 'deleteCustomField');
      return deleteCustomField(ctx.db, ctx.workspaceId, key);
    },
    setWorkspacePlan: (_parent, { plan }, ctx) => {
      requireRole(ctx.identity, ['platform'], 'setWorkspacePlan');
      return setPlan(ctx.db, ctx.workspaceId, plan);
    },
  },
};
