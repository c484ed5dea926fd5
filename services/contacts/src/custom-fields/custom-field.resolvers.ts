import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import type { CustomFieldDefinitionInput } from './custom-field.values';
import { createCustomField, deleteCustomField, getPlan, setPlan } from './custom-field.service';

export const customFieldResolvers: Resolvers = {
  Query: {
    customFields: async (_parent, _args, ctx) => {
      return [...(await ctx.loaders.customFields.all()).values()];
    },
    workspacePlan: (_parent, _args, ctx) => getPlan(ctx.db, ctx.workspaceId),
  },
  Mutation: {
    createCustomField: (_parent, { input }, ctx) => {
      // Checked field by field by validateDefinition; the GraphQL type only shapes it.
      return createCustomField(ctx.db, ctx.identity, input as CustomFieldDefinitionInput);
    },
    deleteCustomField: (_parent, { key }, ctx) => {
      return deleteCustomField(ctx.db, ctx.identity, key);
    },
    setWorkspacePlan: (_parent, { plan }, ctx) => {
      return setPlan(ctx.db, ctx.workspaceId, plan);
    },
  },
};

export const customFieldAccess: AccessRules = {
  'Query.customFields': { can: 'customers.read' },
  'Query.workspacePlan': { can: 'settings.read' },
  'Mutation.createCustomField': { can: 'settings.manage' },
  'Mutation.deleteCustomField': { can: 'settings.manage' },
  'Mutation.setWorkspacePlan': { can: 'platform.operate' },
};
